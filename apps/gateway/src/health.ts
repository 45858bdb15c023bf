/** GET /health: whether Redis and PostgreSQL answer (within a bound, naming what is down), and each queue's depth. */
import { Router } from 'express';
import { sql, type Kysely } from 'kysely';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Database } from '@callpipe/db';
import { probeWithin, valueWithin, type Outage, type OutageState } from '@callpipe/logging';
import type { ListMisconfigured } from './misconfigured.js';
import type { ListBreakers } from './crmBreakers.js';

const COUNTED = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
/** Each probe's bound: /health answers in about a second whatever is down. */
const PROBE_MS = 600;

export interface HealthOutages {
  redis: Outage;
  postgresql: Outage;
}

export function healthRoutes(redis: Redis, db: Kysely<Database>, queueList: readonly Queue[], listMisconfigured?: ListMisconfigured, outages?: HealthOutages, listBreakers?: ListBreakers): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const started = Date.now();
    const depths: Record<string, Record<string, number>> = {};
    // Everything at once, each bounded: the answer never waits longer than one probe.
    const [redisOk, pgOk, misconfigured, breakers] = await Promise.all([
      probeWithin(() => redis.ping(), PROBE_MS),
      probeWithin(() => sql`SELECT 1`.execute(db), PROBE_MS),
      listMisconfigured ? valueWithin(listMisconfigured, PROBE_MS) : undefined,
      listBreakers ? valueWithin(listBreakers, PROBE_MS) : undefined,
      probeWithin(() => Promise.all(queueList.map(async (q) => {
        depths[q.name] = await q.getJobCounts(...COUNTED);
      })), PROBE_MS),
    ]);
    const down: Record<string, OutageState | { up: false; lastError: string }> = {};
    if (!redisOk) down.redis = outages && !outages.redis.isUp() ? outages.redis.state() : { up: false, lastError: `no answer within ${PROBE_MS} ms` };
    if (!pgOk) down.postgresql = outages && !outages.postgresql.isUp() ? outages.postgresql.state() : { up: false, lastError: `no answer within ${PROBE_MS} ms` };
    if (pgOk) outages?.postgresql.up();
    const ok = redisOk && pgOk;
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      redis: redisOk ? 'ok' : 'unreachable',
      postgres: pgOk ? 'ok' : 'unreachable',
      down,
      queues: depths,
      // Enterprises whose setup retries cannot fix (bad bot token, settings failing their schema): the process is fine, they are not.
      ...(misconfigured ? { misconfigured: misconfigured.enterprises, misconfigured_complete: misconfigured.complete } : {}),
      // CRMs whose circuit is open or probing: their jobs wait (attempts kept) while other enterprises flow.
      ...(breakers ? { crm_circuits_open: breakers.breakers.filter((b) => b.state !== 'closed') } : {}),
      checkedInMs: Date.now() - started,
    });
  });
  return router;
}
