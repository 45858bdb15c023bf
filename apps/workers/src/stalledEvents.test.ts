import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { eventKey } from '@callpipe/events';
import { Producers, QUEUE_KEYS, queues, type EventJob, type QueueKey } from '@callpipe/queues';
import { Redis } from 'ioredis';
import { testConfig, testLogger, uniqueEnterprise } from '../../../test/support/testEnv.js';
import { eventsProcessor } from './processors/events.js';
import type { ProcessorTable } from './processors/registry.js';
import { WorkerHost } from './workerHost.js';

const config = testConfig();
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'stalled-events-test' }));
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const producers = new Producers(redis, config.queuePrefix);
let release: () => void = () => undefined;
const hung = new Promise<void>((r) => { release = r; });
afterAll(async () => {
  release();
  await producers.close();
  redis.disconnect();
  await db.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an events job whose workers die while holding it', () => {
  it('is still stored after two stalls (BullMQ alone would fail it for good on the second)', async () => {
    expect(queues.events.maxStalledCount).toBeGreaterThanOrEqual(3);
    const e = uniqueEnterprise();
    const body = { Token: e.token, UniqueId: '1759300000.5', BridgeUniqueid: 'b-5' };
    const data: EventJob = { eventType: 'bridge', enterprise: e.number, body, source: 'live', receivedAt: '2026-12-01T10:00:00.000Z', seq: 1, eventKey: eventKey('bridge', body) };
    const store = eventsProcessor([]);
    let deliveries = 0;
    // The first two deliveries hang as in a worker that was killed: nothing renews the lock once its host is gone.
    const events: ProcessorTable['events'] = async (job, ctx) => {
      deliveries += 1;
      if (deliveries <= 2) await hung;
      return store(job, ctx);
    };
    const idle = async (): Promise<unknown> => undefined;
    const table = { ...Object.fromEntries(QUEUE_KEYS.map((k) => [k, idle])), events } as unknown as ProcessorTable;
    const concurrency = Object.fromEntries(QUEUE_KEYS.map((k) => [k, 1])) as Record<QueueKey, number>;
    const host = () => new WorkerHost(table, { connection: redis, prefix: config.queuePrefix, concurrency, lockMs: 500, deps: { db, log: testLogger(), producers } });

    const job = await producers.add('events', 'bridge', data);
    for (let round = 1; round <= 3; round++) {
      const h = host();
      h.start();
      if (round < 3) {
        for (let i = 0; i < 100 && deliveries < round; i++) await sleep(100);
        expect(deliveries).toBe(round);
        // Force-closed with the job in hand: its lock lapses, the next host's stalled check finds it.
        expect(await h.stop(0)).toBe(false);
        continue;
      }
      let state = '';
      for (let i = 0; i < 150 && state !== 'completed' && state !== 'failed'; i++) {
        await sleep(100);
        state = await job.getState();
      }
      await h.stop(2000);
      const done = await producers.queue('events').getJob(job.id!);
      expect(done?.failedReason ?? '').toBe('');
      expect(state).toBe('completed');
      expect(done?.stalledCounter).toBe(2);
    }
    expect(deliveries).toBe(3);
    const rows = await db.selectFrom('call_events').select('event_key').where('event_key', '=', data.eventKey).execute();
    expect(rows).toHaveLength(1);
  }, 60_000);
});
