/**
 * POST /cache/invalidate/{enterprise}: drop one enterprise from every process's cache now (this
 * process directly, the others by NOTIFY). POST /cache/refresh: reload every active enterprise.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ConfigCache } from '@callpipe/config-cache';
import { pathParam } from '../http/pathParams.js';
import { sendJson, unknownEnterprise } from './respond.js';

export function cacheRoutes(cache: ConfigCache, auth: RequestHandler): Router {
  const router = Router();

  router.post('/cache/invalidate/:enterprise', auth, async (req: Request, res: Response) => {
    const id = pathParam(req, res, 'enterprise');
    if (id === null) return;
    const number = await cache.invalidate(id);
    if (!number) return unknownEnterprise(res, id);
    sendJson(res, 200, { status: 'ok', enterprise_number: number, invalidated: true });
  });

  router.post('/cache/refresh', auth, async (_req: Request, res: Response) => {
    const { enterprises, durationMs } = await cache.refreshAll();
    sendJson(res, 200, { status: 'ok', enterprises, duration_ms: durationMs, last_full_refresh: cache.counters.lastFullRefresh?.toISOString() ?? null });
  });

  return router;
}
