/**
 * Enrichment for call messages: GET /customer-name|customer-profile|responsible-extension/{enterprise}/{phone},
 * GET /metadata/{enterprise}/manager/{ext}, GET /metadata/{enterprise}/line/{line_id}.
 * Unknown enterprise: 404. Unknown customer, manager or line: 200 with nulls (as the old service answered).
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { customerName, toE164, type ConfigCache, type EnterpriseEntry, type Lookups } from '@callpipe/config-cache';
import type { CrmLookups } from '@callpipe/crm';
import { pathParam } from '../http/pathParams.js';
import { fail, sendJson, unknownEnterprise } from './respond.js';

/** Customers come from the primary CRM (smart.primary) when it answers in time, else from the customers table. */
const CUSTOMER_SOURCE = 'customers';

export function lookupRoutes(cache: ConfigCache, lookups: Lookups, auth: RequestHandler, crm?: CrmLookups): Router {
  const router = Router();

  const enterprise = async (req: Request, res: Response): Promise<EnterpriseEntry | null> => {
    const id = pathParam(req, res, 'enterprise');
    if (id === null) return null;
    const found = await cache.lookup(id, 'integrations');
    if (!found) unknownEnterprise(res, id);
    return found?.entry ?? null;
  };
  const phone = (req: Request, res: Response): string | null => {
    const e164 = toE164(String(req.params.phone));
    if (!e164) fail(res, 400, 'invalid_body', 'phone must be 5 to 15 digits, optionally with a leading +', 'phone');
    return e164;
  };

  router.get('/customer-name/:enterprise/:phone', auth, async (req: Request, res: Response) => {
    const e = await enterprise(req, res);
    const p = e && phone(req, res);
    if (!e || !p) return;
    const fromCrm = await crm?.customer(e, p);
    if (fromCrm?.value) {
      sendJson(res, 200, { name: fromCrm.value.name, enterprise_number: e.number, phone: p, primary: e.primary, source: fromCrm.source });
      return;
    }
    const profile = await lookups.customer(e.number, p);
    sendJson(res, 200, { name: customerName(profile), enterprise_number: e.number, phone: p, primary: e.primary, source: CUSTOMER_SOURCE });
  });

  router.get('/customer-profile/:enterprise/:phone', auth, async (req: Request, res: Response) => {
    const e = await enterprise(req, res);
    const p = e && phone(req, res);
    if (!e || !p) return;
    const fromCrm = await crm?.customer(e, p);
    if (fromCrm?.value) {
      sendJson(res, 200, {
        enterprise_number: e.number, phone: p, found: true, last_name: null, first_name: null, middle_name: null, enterprise_name: null,
        full_name: fromCrm.value.name, profile: fromCrm.value.profile ?? {}, primary: e.primary, source: fromCrm.source,
      });
      return;
    }
    const profile = await lookups.customer(e.number, p);
    sendJson(res, 200, { enterprise_number: e.number, ...profile, full_name: customerName(profile), primary: e.primary, source: CUSTOMER_SOURCE });
  });

  // The responsible manager is the primary CRM's knowledge alone: without an answer in time, null.
  router.get('/responsible-extension/:enterprise/:phone', auth, async (req: Request, res: Response) => {
    const e = await enterprise(req, res);
    const p = e && phone(req, res);
    if (!e || !p) return;
    const fromCrm = await crm?.responsibleExtension(e, p);
    sendJson(res, 200, { extension: fromCrm?.value ?? null, enterprise_number: e.number, phone: p, primary: e.primary, source: fromCrm ? fromCrm.source : 'none' });
  });

  router.get('/metadata/:enterprise/manager/:ext', auth, async (req: Request, res: Response) => {
    const e = await enterprise(req, res);
    const ext = e && pathParam(req, res, 'ext', 32);
    if (!e || !ext) return;
    sendJson(res, 200, { enterprise_number: e.number, ...(await lookups.manager(e.number, ext)) });
  });

  router.get('/metadata/:enterprise/line/:lineId', auth, async (req: Request, res: Response) => {
    const e = await enterprise(req, res);
    const line = e && pathParam(req, res, 'lineId', 64);
    if (!e || !line) return;
    sendJson(res, 200, { enterprise_number: e.number, ...(await lookups.line(e.number, line)) });
  });

  return router;
}
