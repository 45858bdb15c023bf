import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, createPool } from '@callpipe/db';
import type { CallLogJob } from '@callpipe/queues';
import { emulatedCall, PATTERN_IDS, seededRandom, shuffled } from '../../../../test/callLog/emulatedCalls.js';
import { expectOneRecord, expectRecords } from '../../../../test/callLog/recordCheck.js';
import { testConfig, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { applyEntry, applyInTransaction } from './applyEntry.js';
import { entryInput } from './entryInput.js';
import { CallLogPartitions } from './partitions.js';

const config = testConfig();
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 8, applicationName: 'call-log-test' }));
afterAll(async () => {
  await db.destroy();
});

const apply = (partitions: CallLogPartitions, job: CallLogJob) => applyEntry(db, partitions, entryInput(job));

/** Runs tasks with at most `width` at a time. */
async function inLanes<T>(items: readonly T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

describe('call log: one call, one record, whatever the arrival order', () => {
  const enterprise = uniqueEnterprise().number;
  const partitions = new CallLogPartitions();
  const random = seededRandom(5);
  const start = Date.UTC(2026, 2, 2, 9);

  it.each(PATTERN_IDS.map((id, p) => [id, p] as const))('pattern %s: 20 shuffled arrival orders each give exactly its records (one, or two for separate calls) with exactly their ids and events', async (id, p) => {
    const calls = Array.from({ length: 20 }, (_, round) => emulatedCall(id, {
      seed: 99, callIndex: p * 20 + round, startTime: new Date(start + round * 1000), linkedid: round % 2 === 1, ownParties: true,
    }));
    // The 20 calls run side by side (they share the enterprise), each fed in its own random order.
    await inLanes(calls, 6, async (c) => {
      for (const job of shuffled(c.jobs(enterprise), random)) await apply(partitions, job);
    });
    for (const [round, c] of calls.entries()) await expectRecords(db, enterprise, c, `${id} round ${round}`);
  });

  it('has as many records as the calls fed make, and no entry outside a record', async () => {
    const { rows } = await db.selectFrom('call_traces').select((eb) => eb.fn.countAll<string>().as('n'))
      .where('enterprise_number', '=', enterprise).execute().then((r) => ({ rows: r }));
    const perRound = PATTERN_IDS.reduce((n, id) => n + emulatedCall(id, { seed: 99, callIndex: 0, startTime: new Date(start) }).records.length, 0);
    expect(Number(rows[0]!.n)).toBe(perRound * 20);
    const orphans = await db.selectFrom('call_trace_entries as e')
      .leftJoin('call_traces as t', (j) => j.onRef('t.enterprise_number', '=', 'e.enterprise_number').onRef('t.call_id', '=', 'e.call_id'))
      .select('e.entry_key').where('e.enterprise_number', '=', enterprise).where('t.call_id', 'is', null).execute();
    expect(orphans).toEqual([]);
  });
});

describe('call log entries', () => {
  const enterprise = uniqueEnterprise().number;
  const partitions = new CallLogPartitions();
  const start = new Date('2026-03-03T10:00:00Z');

  it('stores an event once however often it is delivered', async () => {
    const c = emulatedCall('1-1', { seed: 4, callIndex: 0, startTime: start });
    const jobs = c.jobs(enterprise);
    for (const job of jobs) await apply(partitions, job);
    const again = await apply(partitions, jobs[3]!);
    expect(again.outcome).toBe('duplicate');
    await expectOneRecord(db, enterprise, c, '1-1 redelivered');
  });

  it('keeps a Telegram send, a lookup and a CRM attempt logged before the call\'s events, and joins them to the call', async () => {
    const c = emulatedCall('2-4', { seed: 4, callIndex: 1, startTime: start });
    const lastUid = c.call.expected.uniqueIds.at(-1)!;
    const at = start.toISOString();
    const early: CallLogJob[] = [
      { kind: 'telegram', enterprise, callRef: lastUid, at, chatId: '7055556176', action: 'send', messageType: 'dial', messageId: 13165, text: 'Incoming call' },
      { kind: 'http', enterprise, callRef: lastUid, at, method: 'GET', url: 'http://127.0.0.1:8020/metadata/0367/manager/150', statusCode: 200, durationMs: 4.2 },
      { kind: 'integration', enterprise, callRef: c.call.expected.bridgeUniqueIds[0]!, at, integration: 'retailcrm', operation: 'call_event', status: 'success', httpStatus: 200, durationMs: 120 },
    ];
    for (const job of early) expect((await apply(partitions, job)).outcome).not.toBe('duplicate');
    for (const job of c.jobs(enterprise)) await apply(partitions, job);
    const x = c.call.expected;
    const owners = await db.selectFrom('call_ids').select('call_id').distinct()
      .where('enterprise_number', '=', enterprise).where('id_value', 'in', [...x.uniqueIds, ...x.bridgeUniqueIds]).execute();
    expect(owners).toHaveLength(1);
    const kinds = await db.selectFrom('call_trace_entries').select('kind')
      .where('enterprise_number', '=', enterprise).where('call_id', '=', owners[0]!.call_id).execute();
    expect(kinds.filter((k) => k.kind === 'event')).toHaveLength(x.eventCount);
    expect(kinds.map((k) => k.kind).filter((k) => k !== 'event').sort()).toEqual(['http', 'integration', 'telegram']);
    // The same Telegram entry sent again (a redelivered job) is not stored twice.
    expect((await apply(partitions, early[0]!)).outcome).toBe('duplicate');
  });

  it('creates an enterprise\'s partitions once when four workers meet it at the same moment, and then asks the catalogue nothing', async () => {
    const fresh = uniqueEnterprise().number;
    const workers = Array.from({ length: 4 }, () => new CallLogPartitions());
    const c = emulatedCall('1-3', { seed: 8, callIndex: 0, startTime: start });
    const jobs = c.jobs(fresh);
    await Promise.all(workers.map((w, i) => apply(w, jobs[i]!)));
    for (const job of jobs.slice(4)) await apply(workers[0]!, job);
    await expectOneRecord(db, fresh, c, 'new enterprise');
    const parts = await db.selectFrom('pg_class' as never).select('relname' as never).where('relname' as never, 'like', `%_${fresh}` as never).execute();
    expect((parts as { relname: string }[]).map((r) => r.relname).sort())
      .toEqual([`call_trace_entries_${fresh}`, `call_traces_${fresh}`]);
  });

  it('refuses an enterprise number no partition can be named after', async () => {
    const job: CallLogJob = { kind: 'sql', enterprise: 'bad-name!', callRef: '1.1', at: start.toISOString(), query: 'SELECT 1' };
    await expect(apply(partitions, job)).rejects.toMatchObject({ name: 'PartitionNameError' });
  });
});

describe('call log: an entry touches its own enterprise\'s partitions only', () => {
  it('locks no other enterprise\'s partition, for an event or a Telegram entry (a plan over every partition did, at ~40 ms each)', async () => {
    const others = [uniqueEnterprise().number, uniqueEnterprise().number];
    const enterprise = uniqueEnterprise().number;
    const partitions = new CallLogPartitions();
    for (const e of [...others, enterprise]) await partitions.ensure(db, e);
    const at = new Date(Date.UTC(2026, 2, 3, 9)).toISOString();
    const jobs: CallLogJob[] = [
      { kind: 'event', enterprise, eventKey: `lock-probe-${enterprise}`, eventType: 'start', body: { Token: 't', UniqueId: '1759500000.1', Phone: '375291112233', CallType: 0 }, receivedAt: at, seq: 1, source: 'live' },
      { kind: 'telegram', enterprise, callRef: '1759500000.1', at, chatId: '42', action: 'send', messageType: 'start', messageId: 7, entryKey: `lock-probe-tg-${enterprise}` },
    ];
    for (const job of jobs) {
      const locked = await db.transaction().execute(async (trx) => {
        await applyInTransaction(trx, entryInput(job), 'Europe/Minsk');
        const { rows } = await sql<{ relname: string }>`
          SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relname LIKE 'call\\_%'
        `.execute(trx);
        return rows.map((r) => r.relname);
      });
      // The fault this guards against was real: the partitions of other enterprises exist.
      expect(locked.some((n) => n.endsWith(`_${enterprise}`) || n.includes(`_${enterprise}_`)), job.kind).toBe(true);
      for (const other of others) expect(locked.filter((n) => n.includes(other)), `${job.kind} locked ${other}'s partitions`).toEqual([]);
    }
  });
});
