/** GET /stats: this process's config cache and lookup counters, in the old service's shape plus the tiers' own. */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ConfigCache, Lookups } from '@callpipe/config-cache';
import { sendJson } from './respond.js';

export function statsRoute(cache: ConfigCache, lookups: Lookups, auth: RequestHandler): Router {
  const router = Router();
  router.get('/stats', auth, (_req: Request, res: Response) => {
    sendJson(res, 200, cache.stats({ hits: lookups.hits, misses: lookups.misses, entries: lookups.size }));
  });
  return router;
}
