/**
 * The 8020 API: what the project's own processes (and the old services during migration) call.
 * Every route answers loopback callers and bearer-token holders only (see ../auth).
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ConfigCache, Lookups } from '@callpipe/config-cache';
import type { Logger } from '@callpipe/logging';
import type { Producers } from '@callpipe/queues';
import { callerAuth } from '../auth/index.js';
import { cacheRoutes } from './cacheRoutes.js';
import { dispatchRoute } from './dispatchRoute.js';
import { integrationRoutes } from './integrationRoutes.js';
import { lookupRoutes } from './lookupRoutes.js';
import { statsRoute } from './statsRoute.js';
import type { ListMisconfigured } from '../misconfigured.js';
import type { ListBreakers } from '../crmBreakers.js';
import type { CrmLookups } from '@callpipe/crm';
import { fail } from './respond.js';
import { badParamOf, isDecodeError } from '../http/badParam.js';

export interface ApiDeps {
  cache: ConfigCache;
  lookups: Lookups;
  producers: Producers;
  log: Logger;
  apiToken: string | undefined;
  dedupWindowMs: number;
  enqueueTimeoutMs?: number;
  /** The misconfigured enterprises /stats lists. */
  listMisconfigured?: ListMisconfigured;
  /** The CRM circuit breakers /stats lists. */
  listBreakers?: ListBreakers;
  /** Customer and responsible-manager lookups through the primary CRM. */
  crmLookups?: CrmLookups;
}

export function apiRouter(d: ApiDeps): Router {
  const auth = callerAuth(d.apiToken);
  const router = Router();
  router.use(integrationRoutes(d.cache, auth));
  router.use(cacheRoutes(d.cache, auth));
  router.use(statsRoute(d.cache, d.lookups, auth, d.listMisconfigured, d.listBreakers));
  router.use(lookupRoutes(d.cache, d.lookups, auth, d.crmLookups));
  router.use(dispatchRoute({ cache: d.cache, producers: d.producers, dedupWindowMs: d.dedupWindowMs, log: d.log, enqueueTimeoutMs: d.enqueueTimeoutMs ?? 2000 }, auth));
  // Errors of the routes above: a path parameter that is no valid escape or body parsing (400/413), else a dependency failed (503).
  router.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (isDecodeError(err)) {
      const bad = badParamOf(router, req.path);
      return fail(res, 400, 'invalid_param', bad.message, bad.field);
    }
    if (err.type === 'entity.parse.failed') return fail(res, 400, 'malformed_json', `body is not valid JSON: ${err.message}`, '(body)');
    if (err.type === 'entity.too.large') return fail(res, 413, 'body_too_large', err.message);
    d.log.warn({ err, path: req.path }, 'api request failed: a dependency did not answer');
    fail(res, 503, 'unavailable', 'PostgreSQL or Redis did not answer; retry');
  });
  return router;
}
