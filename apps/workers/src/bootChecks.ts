/**
 * Start-up checks. A wrong build (processors not matching the catalogue) or an unmigrated database
 * refuses to start, naming the problem; PostgreSQL or Redis being down is waited out (the outage is
 * logged once, with reminders, and /health says what the workers are waiting for).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import { isPgConnectionError, type Database } from '@callpipe/db';
import { probeWithin } from '@callpipe/logging';
import type { Outages } from './outages.js';
import { checkProcessors } from './processors/registry.js';

export { checkProcessors };

export type WaitResult = { ok: true } | { ok: false; problem: string };

/** Resolves once Redis and PostgreSQL answer (ok), or at once with a problem no waiting can fix. */
export async function waitForDependencies(redis: Redis, db: Kysely<Database>, outages: Outages,
  o: { retryMs?: number; stopped?: () => boolean } = {}): Promise<WaitResult> {
  const retryMs = o.retryMs ?? 1000;
  for (;;) {
    if (o.stopped?.()) return { ok: false, problem: 'stopped while waiting for dependencies' };
    // Redis: the worker connection reconnects by itself; its events feed the outage log.
    const redisOk = redis.status === 'ready' && await probeWithin(() => redis.ping(), 2000);
    let pgOk = false;
    try {
      await sql`SELECT 1 FROM call_events LIMIT 0`.execute(db);
      pgOk = true;
      outages.postgresql.up();
    } catch (err) {
      if (!isPgConnectionError(err)) {
        return { ok: false, problem: `postgresql: ${(err as Error).message} (is DATABASE_URL right and migrated? npm run migrate)` };
      }
      outages.postgresql.down(err);
    }
    if (redisOk && pgOk) return { ok: true };
    await sleep(retryMs);
  }
}
