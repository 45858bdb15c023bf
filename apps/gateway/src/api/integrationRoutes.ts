/**
 * GET /integrations/{enterprise} (the on/off matrix), GET /config/{enterprise} and
 * GET /config/{enterprise}/{type} (settings, secrets masked unless the caller holds the token).
 * {enterprise} is a number, a name or a host token.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ConfigCache } from '@callpipe/config-cache';
import { secretsVisible } from '../auth/index.js';
import { configBody, integrationConfigBody, integrationsBody } from './bodies.js';
import { pathParam } from '../http/pathParams.js';
import { fail, sendJson, unknownEnterprise } from './respond.js';

export function integrationRoutes(cache: ConfigCache, auth: RequestHandler): Router {
  const router = Router();

  router.get('/integrations/:enterprise', auth, async (req: Request, res: Response) => {
    const id = pathParam(req, res, 'enterprise');
    if (id === null) return;
    // A warm hit never leaves this function's first line.
    const held = cache.hitLocal(id, 'integrations');
    if (held) return sendJson(res, 200, integrationsBody(held, 'local', Date.now()));
    const found = await cache.lookup(id, 'integrations');
    if (!found) return unknownEnterprise(res, id);
    sendJson(res, 200, integrationsBody(found.entry, found.source, Date.now()));
  });

  router.get('/config/:enterprise', auth, async (req: Request, res: Response) => {
    const id = pathParam(req, res, 'enterprise');
    if (id === null) return;
    const found = await cache.lookup(id, 'config');
    if (!found) return unknownEnterprise(res, id);
    sendJson(res, 200, configBody(found.entry, found.source, secretsVisible(res)));
  });

  router.get('/config/:enterprise/:type', auth, async (req: Request, res: Response) => {
    const id = pathParam(req, res, 'enterprise');
    if (id === null) return;
    const type = pathParam(req, res, 'type', 64);
    if (type === null) return;
    const found = await cache.lookup(id, 'config');
    if (!found) return unknownEnterprise(res, id);
    const invalid = found.entry.invalid.find((i) => i.integration === type);
    if (invalid) {
      return fail(res, 404, 'invalid_integration', `${type} settings of ${found.entry.number} fail their schema (${invalid.error}); it is treated as disabled`);
    }
    // Own keys only: `__proto__`, `constructor` and the like are not integration types.
    if (!Object.hasOwn(found.entry.configs, type)) return fail(res, 404, 'unknown_integration', `${found.entry.number} has no ${type} settings`);
    sendJson(res, 200, integrationConfigBody(found.entry, type, found.source, secretsVisible(res)));
  });

  return router;
}
