import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { Producers, queues, type CallLogJob, type EventJob } from '@callpipe/queues';
import { emulatedCall, PATTERN_IDS, seededRandom, shuffled } from '../../../../test/callLog/emulatedCalls.js';
import { expectRecords } from '../../../../test/callLog/recordCheck.js';
import { testConfig, testLogger, uniqueEnterprise, waitFor } from '../../../../test/support/testEnv.js';
import { callLogJobId, callLogStep } from '../callLog/fanOutStep.js';
import { callLogProcessor } from './callLog.js';
import { eventsProcessor } from './events.js';

const config = testConfig();
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 3, applicationName: 'call-log-processor-test' }));
const producers = new Producers(redis, config.queuePrefix);
afterAll(async () => {
  await producers.queue('callLog').obliterate({ force: true });
  await producers.close();
  await db.destroy();
  redis.disconnect();
});

const fakeJob = <T>(data: T) => ({ data, id: '1', attemptsMade: 0 }) as unknown as Job<T>;

describe('call-log queue with four concurrent workers', () => {
  it('gives exactly the records each call makes, holding exactly their ids and events, for every pattern fed at once in random order', async () => {
    const enterprise = uniqueEnterprise().number;
    const start = Date.UTC(2026, 2, 4, 11);
    const calls = [0, 1].flatMap((round) => PATTERN_IDS.map((id, p) => emulatedCall(id, {
      seed: 123, callIndex: round * 100 + p, startTime: new Date(start + (p % 9) * 400), linkedid: round === 1, ownParties: true,
    })));
    const jobs = shuffled(calls.flatMap((c) => c.jobs(enterprise)), seededRandom(77));
    await producers.addBulk('callLog', jobs.map((data) => ({ name: data.eventType, data, opts: { jobId: callLogJobId(data.eventKey) } })));

    // Four workers as four processes would run them: own Redis connection, own pool, own partition cache.
    const outcomes: string[] = [];
    const workers = Array.from({ length: 4 }, (_, i) => {
      const pool = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: `call-log-worker-${i}` }));
      const process = callLogProcessor();
      const worker = new Worker<CallLogJob>(queues.callLog.name, (job) => process(job, { db: pool, log: testLogger(), producers }), {
        connection: new Redis(config.redisUrl, { maxRetriesPerRequest: null }), prefix: config.queuePrefix, concurrency: 2,
      });
      worker.on('completed', (_job, result: { outcome: string }) => outcomes.push(result.outcome));
      return { worker, pool };
    });
    try {
      const q = producers.queue('callLog');
      await waitFor(async () => {
        const c = await q.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
        if ((c.failed ?? 0) > 0) throw new Error(`a call-log job failed: ${JSON.stringify((await q.getFailed())[0]?.failedReason)}`);
        return c.completed === jobs.length;
      }, 'every call-log job to complete', 120_000, 200);
    } finally {
      for (const w of workers) {
        await w.worker.close();
        await w.pool.destroy();
      }
    }
    // The shuffled order made partial records that later events merged; nothing was stored twice.
    expect(outcomes.filter((o) => o === 'merged').length).toBeGreaterThan(0);
    expect(outcomes).not.toContain('duplicate');
    for (const [i, c] of calls.entries()) await expectRecords(db, enterprise, c, `${c.call.patternId} #${i}`);
    const count = await db.selectFrom('call_traces').select((eb) => eb.fn.countAll<string>().as('n')).where('enterprise_number', '=', enterprise).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(calls.reduce((n, c) => n + c.records.length, 0));
  }, 180_000);
});

describe('call-log fan-out and processor', () => {
  it('queues one call-log job per stored event, however often the event is delivered', async () => {
    const e = uniqueEnterprise();
    const body = { Token: e.token, UniqueId: '1759300100.1', Phone: '375296254070', CallType: 1 as const, Extensions: ['150'] };
    const data: EventJob = { eventType: 'dial', enterprise: e.number, body, source: 'live', receivedAt: '2026-03-04T10:00:00.000Z', seq: 1, eventKey: 'k'.repeat(8) + e.number };
    const process = eventsProcessor([callLogStep]);
    const ctx = { db, log: testLogger(), producers };
    await process(fakeJob(data), ctx);
    await process(fakeJob(data), ctx);
    const job = await producers.queue('callLog').getJob(callLogJobId(data.eventKey));
    expect(job?.data).toEqual({ kind: 'event', enterprise: e.number, eventKey: data.eventKey, eventType: 'dial', body, receivedAt: data.receivedAt, seq: 1, source: 'live' });
    const waiting = await producers.queue('callLog').getWaiting();
    expect(waiting.filter((j) => (j.data as CallLogJob).enterprise === e.number)).toHaveLength(1);
  });

  it('refuses a malformed payload without retrying it', async () => {
    await expect(callLogProcessor()(fakeJob({ kind: 'telegram', enterprise: '0367' } as unknown as CallLogJob), { db, log: testLogger(), producers }))
      .rejects.toMatchObject({ name: 'UnrecoverableError' });
    const noTime = { kind: 'event', enterprise: '0367', eventKey: 'abcdefgh12', eventType: 'dial', body: { UniqueId: '1.1' }, receivedAt: 'yesterday', seq: 1, source: 'live' } as const;
    await expect(callLogProcessor()(fakeJob<CallLogJob>(noTime), { db, log: testLogger(), producers }))
      .rejects.toMatchObject({ name: 'UnrecoverableError', message: expect.stringMatching(/receivedAt is not a time/) });
  });

  it('gives a call-log job the queue\'s attempts and backoff', () => {
    expect(queues.callLog.jobOptions).toMatchObject({ attempts: 12, backoff: { type: 'exponential' } });
  });
});
