/**
 * The URLs RetailCRM calls (registered in the integration module's telephony settings):
 *   GET|POST /retailcrm/make-call   makeCallUrl: click-to-call (makeCall.ts)
 *   GET|POST /retailcrm/status      changeUserStatusUrl: a manager's status (userStatus.ts)
 * Parameters come in the query or a form/JSON body. Public: RetailCRM's servers call them, and the
 * clientId must name an enterprise. A dependency that does not answer is a 503.
 */
import express, { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { OriginateTimeouts } from '@callpipe/ami';
import type { ConfigCache } from '@callpipe/config-cache';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import type { Producers } from '@callpipe/queues';
import { logAttempt } from './attemptLog.js';
import { makeCall, type Answer } from './makeCall.js';
import { changeUserStatus } from './userStatus.js';

export const MAKE_CALL_PATH = '/retailcrm/make-call';
export const USER_STATUS_PATH = '/retailcrm/status';

export interface TelephonyRouteDeps {
  cache: ConfigCache;
  db: Kysely<Database>;
  producers: Producers | null;
  redis: Redis;
  prefix: string;
  timeouts: OriginateTimeouts;
  log: Logger;
}

export function retailCrmTelephonyRoutes(d: TelephonyRouteDeps): Router {
  const router = Router();
  const record = (a: Parameters<typeof logAttempt>[2]) => logAttempt(d.db, d.producers, a, d.log);
  const bodies = [express.urlencoded({ extended: false, limit: '16kb' }), express.json({ limit: '16kb' })];
  const handle = (fn: (query: Record<string, unknown>, body: unknown) => Promise<Answer>) => async (req: Request, res: Response) => {
    try {
      const answer = await fn(req.query as Record<string, unknown>, req.body);
      res.status(answer.status).json(answer.body);
    } catch (err) {
      d.log.warn({ err, path: req.path }, 'RetailCRM telephony request failed: a dependency did not answer');
      res.status(503).json({ success: false, status: 'error', error: 'unavailable', message: 'PostgreSQL or Redis did not answer; retry' });
    }
  };
  const call = handle((q, b) => makeCall({ cache: d.cache, timeouts: d.timeouts, log: d.log, record }, q, b));
  const status = handle((q, b) => changeUserStatus({ cache: d.cache, redis: d.redis, prefix: d.prefix, log: d.log, record }, q, b));
  router.get(MAKE_CALL_PATH, call);
  router.post(MAKE_CALL_PATH, ...bodies, call);
  router.get(USER_STATUS_PATH, status);
  router.post(USER_STATUS_PATH, ...bodies, status);
  return router;
}
