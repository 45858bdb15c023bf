import { UnrecoverableError, type Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { eventKey } from '@callpipe/events';
import { Producers, QUEUE_KEYS, queues, type EventJob, type QueueKey } from '@callpipe/queues';
import { Redis } from 'ioredis';
import { testConfig, testLogger, uniqueEnterprise } from '../../../test/support/testEnv.js';
import { isDataRefused, unrecoverableIfDataRefused } from './dataRefused.js';
import { eventsProcessor } from './processors/events.js';
import type { ProcessorTable } from './processors/registry.js';
import { WorkerHost } from './workerHost.js';

const config = testConfig();
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'data-refused-test' }));
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const producers = new Producers(redis, config.queuePrefix);
afterAll(async () => {
  await producers.close();
  redis.disconnect();
  await db.destroy();
});

// An events job whose body PostgreSQL cannot hold (the ingest refuses these since; a job queued
// before, or by another producer, must still not retry for hours).
function nulJob(): EventJob {
  const e = uniqueEnterprise();
  const body = { Token: e.token, UniqueId: '1759300000.9', BridgeUniqueid: 'b-9', CallerIDName: 'a\u0000b' };
  return { eventType: 'bridge', enterprise: e.number, body, source: 'live', receivedAt: '2026-12-01T10:00:00.000Z', seq: 1, eventKey: eventKey('bridge', body) };
}

describe('PostgreSQL refusing a job\'s data', () => {
  it('is a data exception that becomes an UnrecoverableError; connection errors stay retryable', async () => {
    const err = await eventsProcessor([])({ data: nulJob() }, { db, log: testLogger(), producers }).catch((e: unknown) => e);
    // The fault is real: PostgreSQL itself refused the NUL (22P05 untranslatable character).
    expect((err as { code?: string }).code).toMatch(/^22/);
    expect(isDataRefused(err)).toBe(true);
    const converted = unrecoverableIfDataRefused(err);
    expect(converted).toBeInstanceOf(UnrecoverableError);
    expect((converted as Error).message).toMatch(/^PostgreSQL refuses this job's data \(SQLSTATE 22/);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(unrecoverableIfDataRefused(refused)).toBe(refused);
    expect(isDataRefused(Object.assign(new Error('deadlock'), { code: '40P01' }))).toBe(false);
  });

  it('ends the events job after one attempt, in the failed set, through the worker host', async () => {
    const idle = async (): Promise<unknown> => undefined;
    const table = Object.fromEntries(QUEUE_KEYS.map((k) => [k, idle])) as unknown as ProcessorTable;
    table.events = eventsProcessor([]) as ProcessorTable['events'];
    const concurrency = Object.fromEntries(QUEUE_KEYS.map((k) => [k, 1])) as Record<QueueKey, number>;
    const host = new WorkerHost(table, { connection: redis, prefix: config.queuePrefix, concurrency, lockMs: 5000, deps: { db, log: testLogger(), producers } });
    host.start();
    try {
      const job = await producers.add('events', 'bridge', nulJob());
      let state = '';
      for (let i = 0; i < 100 && state !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await job.getState();
      }
      const done = (await producers.queue('events').getJob(job.id!)) as Job<EventJob>;
      expect(state).toBe('failed');
      expect(done.attemptsMade).toBe(1);
      expect(queues.events.jobOptions.attempts).toBeGreaterThan(1);
      expect(done.failedReason).toMatch(/PostgreSQL refuses this job's data \(SQLSTATE 22/);
    } finally {
      await host.stop(5000);
    }
  });
});
