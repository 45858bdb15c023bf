/**
 * The demo's correlation check, end to end on the call-log side: the emulated host's traffic as the
 * demo places it (every pattern in turn, one call every 10 s, managers from the host's pool, customers
 * calling back, managers on two lines) goes through the real call-log processor, four
 * entries at a time in arrival order; the host's ledger then compares what the call log recorded with
 * what the emulator knows: every expected record exact, no false merge, no split call.
 */
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { Producers, type CallLogJob } from '@callpipe/queues';
import { PATTERN_IDS } from '../../apps/sandbox/src/emulator/index.js';
import { ManagerPool } from '../../apps/sandbox/src/host/managerPool.js';
import { PlacedCalls } from '../../apps/sandbox/src/host/placedCalls.js';
import { enterpriseOfToken, recordedIds } from '../../apps/sandbox/src/host/recordedIds.js';
import { callLogProcessor } from '../../apps/workers/src/processors/callLog.js';
import { testConfig, testLogger, uniqueEnterprise } from '../support/testEnv.js';
import { emulatedCall, type EmulatedCall } from './emulatedCalls.js';

const config = testConfig();
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 6, applicationName: 'demo-tally-test' }));
const producers = new Producers(redis, config.queuePrefix);
afterAll(async () => {
  await producers.close();
  await db.destroy();
  redis.disconnect();
});

const fakeJob = (data: CallLogJob) => ({ data, id: data.kind === 'event' ? data.eventKey : 'x', attemptsMade: 0 }) as unknown as Job<CallLogJob>;

/** Feeds the calls' events to the processor in the order the ingest received them, `lanes` at a time. */
async function process(calls: readonly EmulatedCall[], enterprise: string, lanes: number): Promise<void> {
  const run = callLogProcessor(undefined, { steps: [] });
  const ctx = { db, log: testLogger(), producers };
  const jobs = calls.flatMap((c) => c.jobs(enterprise)).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.seq - b.seq);
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < jobs.length) await run(fakeJob(jobs[next++]!), ctx);
  }));
}

describe('demo tally through the call-log processor', () => {
  it('finds every emulated call exactly: zero false merges, zero split calls', async () => {
    const e = uniqueEnterprise();
    await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token }).execute();
    const start = Date.UTC(2026, 2, 5, 9);
    // Two rounds of the catalogue, as the demo host places them: 6 calls a minute at speed 2, each
    // with three managers free for its length (ManagerPool), the same customers' numbers never.
    const managers = new ManagerPool();
    const calls = Array.from({ length: PATTERN_IDS.length * 2 }, (_, i) => {
      const at = start + i * 10_000;
      const extensions = managers.pick();
      const c = emulatedCall(PATTERN_IDS[i % PATTERN_IDS.length]!, { seed: 2026, callIndex: i, startTime: new Date(at), extensions, speed: 2 });
      managers.hold(extensions, c.events.at(-1)!.at);
      return c;
    });
    // Calls overlap: several managers are in a call at once.
    expect(Math.max(...calls.map((c) => managers.busyAt(c.events[0]!.at)))).toBeGreaterThan(3);
    await process(calls, e.number, 4);

    const placed = new PlacedCalls();
    calls.forEach((c, i) => placed.add(c.call, i, true, 0));
    const enterprise = await enterpriseOfToken(db, e.token);
    expect(enterprise).toBe(e.number);
    const tally = await placed.tally((ids) => recordedIds(db, e.number, ids), 0, 1);
    const records = calls.reduce((n, c) => n + c.records.length, 0);
    expect(tally).toMatchObject({
      callsPlaced: calls.length, callsChecked: calls.length, expectedRecords: records, records,
      exactMatches: records, falseMerges: 0, splitCalls: 0, missing: 0,
    });
    // Two records per 4-x call and per consultation that stayed apart: more records than calls.
    expect(records).toBeGreaterThan(calls.length);

    // The same check sees a false merge when one happens: an event that puts a channel of one call
    // into a bridge of the next makes one record of the two.
    const [a, b] = [calls[0]!.call.expected, calls[1]!.call.expected];
    const joining: CallLogJob = {
      kind: 'event', enterprise: e.number, eventKey: `join-${e.number}`, eventType: 'bridge', source: 'live', seq: 1,
      receivedAt: new Date(start + 60_000).toISOString(), body: { Token: e.token, UniqueId: a.uniqueIds[0]!, BridgeUniqueid: b.bridgeUniqueIds[0]! },
    };
    await callLogProcessor(undefined, { steps: [] })(fakeJob(joining), { db, log: testLogger(), producers });
    const after = await placed.tally((ids) => recordedIds(db, e.number, ids), 0, 1);
    expect(after).toMatchObject({ falseMerges: 1, exactMatches: records - 2, splitCalls: 0, records: records - 1 });
  }, 240_000);
});
