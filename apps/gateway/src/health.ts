/** GET /health: whether Redis and PostgreSQL answer, and each queue's depth. */
import { Router } from 'express';
import { sql, type Kysely } from 'kysely';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Database } from '@callpipe/db';

const COUNTED = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export function healthRoutes(redis: Redis, db: Kysely<Database>, queueList: readonly Queue[]): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const started = Date.now();
    const [redisOk, pgOk] = await Promise.all([
      redis.ping().then(() => true, () => false),
      sql`SELECT 1`.execute(db).then(() => true, () => false),
    ]);
    const depths: Record<string, Record<string, number>> = {};
    if (redisOk) {
      await Promise.all(queueList.map(async (q) => {
        depths[q.name] = await q.getJobCounts(...COUNTED);
      }));
    }
    const ok = redisOk && pgOk;
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      redis: redisOk ? 'ok' : 'unreachable',
      postgres: pgOk ? 'ok' : 'unreachable',
      queues: depths,
      checkedInMs: Date.now() - started,
    });
  });
  return router;
}
