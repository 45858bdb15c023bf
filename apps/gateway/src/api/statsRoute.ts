/** GET /stats: this process's config cache and lookup counters, in the old service's shape plus the tiers' own. */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ConfigCache, Lookups } from '@callpipe/config-cache';
import type { ListMisconfigured } from '../misconfigured.js';
import type { ListBreakers } from '../crmBreakers.js';
import { sendJson } from './respond.js';

export function statsRoute(cache: ConfigCache, lookups: Lookups, auth: RequestHandler, listMisconfigured?: ListMisconfigured, listBreakers?: ListBreakers): Router {
  const router = Router();
  router.get('/stats', auth, async (_req: Request, res: Response) => {
    const stats = cache.stats({ hits: lookups.hits, misses: lookups.misses, entries: lookups.size });
    const [misconfigured, breakers] = await Promise.all([listMisconfigured?.(), listBreakers?.()]);
    sendJson(res, 200, {
      ...stats,
      ...(misconfigured ? { misconfigured: misconfigured.enterprises, misconfigured_complete: misconfigured.complete } : {}),
      ...(breakers ? { crm_breakers: breakers.breakers, crm_breakers_complete: breakers.complete } : {}),
    });
  });
  return router;
}
