/**
 * No event acked with 200 is lost: not when a worker is SIGKILLed mid-stream, not when Redis is
 * killed and restarted mid-stream. Real processes, real Redis and PostgreSQL.
 */
import type { Kysely} from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool, type Database } from '@callpipe/db';
import { createIngest } from '../../apps/ingest/src/ingest.js';
import { dialEvents, postStream } from '../support/eventStream.js';
import { listen } from '../support/listen.js';
import { PrivateRedis } from '../support/privateRedis.js';
import { startApp, type AppProcess } from '../support/processes.js';
import { configEnv, testConfig, testLogger, uniqueEnterprise, waitFor } from '../support/testEnv.js';

let db: Kysely<Database>;

beforeAll(() => {
  const config = testConfig();
  db = createDb(createPool({ connectionString: config.databaseUrl, max: 4, applicationName: 'durability-test' }));
});
afterAll(async () => db.destroy());

async function addEnterprise(): Promise<{ number: string; token: string }> {
  const e = uniqueEnterprise();
  await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: null, active: true }).execute();
  return e;
}

async function storedUids(enterprise: string): Promise<{ rows: number; distinctKeys: number; uids: Set<string> }> {
  const rows = await db.selectFrom('call_events').select(['unique_id', 'event_key']).where('enterprise_number', '=', enterprise).execute();
  return { rows: rows.length, distinctKeys: new Set(rows.map((r) => r.event_key)).size, uids: new Set(rows.map((r) => r.unique_id!)) };
}

function workersEnv(env: Record<string, string>): Record<string, string> {
  return { ...env, WORKERS_PORT: '0', JOB_LOCK_MS: '2000', EVENTS_CONCURRENCY: '8', TOKEN_REFRESH_SECONDS: '1' };
}

describe('durability', () => {
  it('keeps every acked event, exactly once, when a worker is SIGKILLed mid-stream', async () => {
    const config = testConfig();
    const e = await addEnterprise();
    let workers: AppProcess = startApp('workers', workersEnv(configEnv(config)));
    const ingest = createIngest({ ...config, tokenRefreshSeconds: 1 }, testLogger('ingest'));
    await ingest.start();
    const { base, close } = await listen(ingest.app);
    try {
      await waitFor(async () => ingest.tokens.lookup(e.token), 'ingest to learn the new token from the workers', 15_000);
      const events = dialEvents(e.token, 600, `9${Date.now()}`);
      let killed = false;
      const result = await postStream(base, events, 20, async (answered) => {
        if (answered === 200 && !killed) {
          killed = true;
          await workers.kill('SIGKILL');
          workers = startApp('workers', workersEnv(configEnv(config)));
        }
      });
      expect(killed).toBe(true);
      expect(result.failed).toEqual([]);
      const stored = await waitFor(async () => {
        const s = await storedUids(e.number);
        return s.rows >= result.acked.length ? s : undefined;
      }, 'every acked event in call_events', 60_000, 250);
      expect(stored.rows).toBe(result.acked.length);
      expect(stored.distinctKeys).toBe(result.acked.length);
      expect([...stored.uids].sort()).toEqual([...result.acked].sort());
    } finally {
      await close();
      await ingest.stop();
      await workers.kill('SIGTERM');
    }
  });

  it('keeps every acked event, exactly once, when Redis is killed and restarted mid-stream', async () => {
    const redis = new PrivateRedis();
    await redis.start();
    const config = testConfig({ REDIS_URL: redis.url });
    const e = await addEnterprise();
    const workers: AppProcess = startApp('workers', workersEnv(configEnv(config)));
    const ingest = createIngest({ ...config, tokenRefreshSeconds: 1 }, testLogger('ingest'));
    await ingest.start();
    const { base, close } = await listen(ingest.app);
    try {
      await waitFor(async () => ingest.tokens.lookup(e.token), 'ingest to learn the new token from the workers', 15_000);
      const events = dialEvents(e.token, 600, `8${Date.now()}`);
      let phase: 'up' | 'down' | 'back' = 'up';
      const result = await postStream(base, events, 10, async (answered) => {
        if (answered === 150 && phase === 'up') {
          phase = 'down';
          await redis.kill();
        } else if (answered === 400 && phase === 'down') {
          phase = 'back';
          await redis.start();
        }
        // Keep the stream at a pace where the outage spans many requests.
        await new Promise((r) => setTimeout(r, 2));
      });
      expect(phase).toBe('back');
      expect(result.failed).toEqual([]);
      expect(ingest.enqueue.counters.spooled).toBeGreaterThan(0);
      const stored = await waitFor(async () => {
        const s = await storedUids(e.number);
        return s.rows >= result.acked.length ? s : undefined;
      }, 'every acked event in call_events', 90_000, 250);
      expect(stored.rows).toBe(result.acked.length);
      expect(stored.distinctKeys).toBe(result.acked.length);
      expect([...stored.uids].sort()).toEqual([...result.acked].sort());
      const sources = await sql<{ n: number }>`SELECT count(*)::int AS n FROM call_events WHERE enterprise_number = ${e.number} AND data_source = 'live'`.execute(db);
      expect(sources.rows[0]?.n).toBe(result.acked.length);
    } finally {
      await close();
      await ingest.stop();
      await workers.kill('SIGTERM');
      await redis.kill();
    }
  });
});
