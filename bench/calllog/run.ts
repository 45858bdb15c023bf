/**
 * bench/calllog: events/s through the call-log store (apps/workers/src/callLog/applyEntry: locks,
 * id and soft-link lookups, merges, the summary fold) into call_traces, next to plain single-row
 * INSERTs of the same events into a table of the same shape (call_trace_entries' columns, LIST-
 * partitioned by enterprise, ON CONFLICT on the same key), in the same run, same pool, same
 * concurrency. Emulated calls of every pattern, each with its own extensions and phones.
 *
 * Two arrival orders for the call log: the hosts' order (calls interleaved by time, the common case)
 * and a random shuffle of all events (partial records everywhere, so many merges). Rounds are
 * interleaved and the median kept. Runs against a private database, dropped at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '@callpipe/config';
import { createDb, createPool, type Database } from '@callpipe/db';
import { eventKey } from '@callpipe/events';
import { migrateToLatest } from '@callpipe/migrations';
import type { CallLogEventEntry } from '@callpipe/queues';
import type * as Emulator from '../../apps/sandbox/src/emulator/index.js';
import type * as Apply from '../../apps/workers/src/callLog/applyEntry.js';
import type * as Input from '../../apps/workers/src/callLog/entryInput.js';
import type * as Partitions from '../../apps/workers/src/callLog/partitions.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// The emulator and the call-log store are apps' modules, not libs: loaded from their builds by path
// (this file runs from bench/dist), typed from their declarations.
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(root, path)).href)) as T;
const { generateCall, PATTERN_IDS } = await load<typeof Emulator>('apps/sandbox/dist/emulator/index.js');
const { applyEntry } = await load<typeof Apply>('apps/workers/dist/callLog/applyEntry.js');
const { entryInput } = await load<typeof Input>('apps/workers/dist/callLog/entryInput.js');
const { CallLogPartitions, createPartitions } = await load<typeof Partitions>('apps/workers/dist/callLog/partitions.js');
const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Job = CallLogEventEntry;

/** CALLS calls cycling through every pattern, starting 2 s apart, with parties of their own; and the records they must make. */
function emulatedJobs(enterprise: string): { hostOrder: Job[]; calls: number; expectedRecords: number } {
  const t0 = Date.UTC(2026, 0, 12, 9);
  const timed: { at: number; job: Job }[] = [];
  let expectedRecords = 0;
  for (let i = 0; i < CALLS; i += 1) {
    const start = t0 + i * 2000;
    const call = generateCall(PATTERN_IDS[i % PATTERN_IDS.length]!, {
      token: 'bench-token', seed: 1, callIndex: i, startTime: new Date(start),
      extensions: [String(1000 + 3 * i), String(1001 + 3 * i), String(1002 + 3 * i)],
      phones: [`37533${String(1_000_000 + 3 * i)}`, `37533${String(1_000_001 + 3 * i)}`, `37533${String(1_000_002 + 3 * i)}`],
    });
    expectedRecords += call.records.length;
    call.events.forEach((e, k) => {
      const at = start + e.offsetMs;
      timed.push({ at, job: {
        kind: 'event', enterprise, eventKey: eventKey(e.type, e.body), eventType: e.type, body: { ...e.body },
        receivedAt: new Date(at).toISOString(), seq: at * 1000 + k, source: 'live',
      } });
    });
  }
  return { hostOrder: timed.sort((a, b) => a.at - b.at).map((t) => t.job), calls: CALLS, expectedRecords };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const withEnterprise = (jobs: Job[], enterprise: string): Job[] => jobs.map((j) => ({ ...j, enterprise }));

interface Run {
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  merges: number;
  retried: number;
  records: number;
}

/** Feeds the jobs through `apply` from CONCURRENCY lanes; the lanes take the next job in order. */
async function drive(jobs: Job[], apply: (j: Job) => Promise<{ merged?: boolean; attempts?: number }>): Promise<Omit<Run, 'records'>> {
  const latencies: number[] = [];
  let next = 0;
  let merges = 0;
  let retried = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const t = performance.now();
      const r = await apply(job);
      latencies.push(performance.now() - t);
      if (r.merged) merges += 1;
      if ((r.attempts ?? 1) > 1) retried += 1;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 100) / 100;
  return { eventsPerSec: Math.round(jobs.length / seconds), p50Ms: q(0.5), p99Ms: q(0.99), merges, retried };
}

async function countRecords(db: Kysely<Database>, enterprise: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM call_traces WHERE enterprise_number = ${enterprise}`.execute(db);
  return Number(rows[0]!.n);
}

async function callLogRun(db: Kysely<Database>, jobs: Job[], enterprise: string): Promise<Run> {
  const partitions = new CallLogPartitions();
  await partitions.ensure(db, enterprise);
  const run = await drive(withEnterprise(jobs, enterprise), async (job) => {
    const r = await applyEntry(db, partitions, entryInput(job));
    return { merged: r.outcome === 'merged', attempts: r.attempts };
  });
  return { ...run, records: await countRecords(db, enterprise) };
}

async function plainRun(db: Kysely<Database>, jobs: Job[], enterprise: string): Promise<Run> {
  await sql`CREATE TABLE IF NOT EXISTS ${sql.id(`bench_plain_entries_${enterprise}`)} PARTITION OF bench_plain_entries FOR VALUES IN (${sql.lit(enterprise)})`.execute(db);
  const run = await drive(withEnterprise(jobs, enterprise), async (job) => {
    const body = job.body;
    const callId = typeof body.UniqueId === 'string' ? body.UniqueId : String(body.BridgeUniqueid ?? '');
    await sql`INSERT INTO bench_plain_entries (enterprise_number, entry_key, call_id, kind, at, seq, event_type, chat_id, data)
      VALUES (${job.enterprise}, ${job.eventKey}, ${callId}, 'event', ${job.receivedAt}::timestamptz, ${job.seq}, ${job.eventType}, NULL,
        ${JSON.stringify({ body, source: job.source })}::jsonb)
      ON CONFLICT (enterprise_number, entry_key) DO NOTHING`.execute(db);
    return {};
  });
  return { ...run, records: 0 };
}

const config = loadConfig();
const dbName = `callpipe_bench_calllog_${process.pid}`;
const url = new URL(config.databaseUrl);
url.pathname = `/${dbName}`;
await migrateToLatest(url.toString());
const pool = createPool({ connectionString: url.toString(), max: CONCURRENCY, applicationName: 'bench-calllog' });
const db = createDb(pool);
await sql`CREATE TABLE bench_plain_entries (LIKE call_trace_entries INCLUDING DEFAULTS, PRIMARY KEY (enterprise_number, entry_key)) PARTITION BY LIST (enterprise_number)`.execute(db);
await sql`CREATE INDEX ON bench_plain_entries (enterprise_number, call_id, at)`.execute(db);

const { hostOrder, calls, expectedRecords } = emulatedJobs('x');
const randomOrder = shuffled(hostOrder, 42);
process.stderr.write(`bench/calllog: ${calls} calls, ${hostOrder.length} events, concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds (median kept), PostgreSQL ${url.host}\n`);

const variants = [
  { name: 'plain single-row INSERT (baseline)', run: (e: string) => plainRun(db, hostOrder, e) },
  { name: 'call log, hosts\' order', run: (e: string) => callLogRun(db, hostOrder, e) },
  { name: 'call log, shuffled order', run: (e: string) => callLogRun(db, randomOrder, e) },
];
const runs = new Map<string, Run[]>(variants.map((v) => [v.name, []]));
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, v] of variants.entries()) {
      const enterprise = `b${round}${i}`;
      await createPartitions(db, enterprise);
      const r = await v.run(enterprise);
      runs.get(v.name)!.push(r);
      process.stderr.write(`  round ${round + 1}/${ROUNDS} ${v.name}: ${r.eventsPerSec} events/s, p99 ${r.p99Ms} ms${r.records ? `, ${r.records} records, ${r.merges} merges` : ''}\n`);
    }
  }
} finally {
  await db.destroy();
  const admin = new URL(config.databaseUrl);
  admin.pathname = '/postgres';
  const adminPool = createPool({ connectionString: admin.toString(), max: 1, applicationName: 'bench-calllog' });
  await adminPool.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await adminPool.end();
}

const median = (name: string) => [...runs.get(name)!].sort((a, b) => a.eventsPerSec - b.eventsPerSec)[Math.floor(ROUNDS / 2)]!;
const rows = variants.map((v) => ({ name: v.name, ...median(v.name) }));
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`\n${'variant'.padEnd(36)}${pad('events/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('records', 9)}${pad('merges', 8)}${pad('retried', 9)}`);
for (const r of rows) console.log(`${r.name.padEnd(36)}${pad(r.eventsPerSec, 10)}${pad(r.p50Ms, 9)}${pad(r.p99Ms, 9)}${pad(r.records || '-', 9)}${pad(r.records ? r.merges : '-', 8)}${pad(r.records ? r.retried : '-', 9)}`);
const [plain, host, shuffledRun] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
const ratioHost = host.eventsPerSec / plain.eventsPerSec;
const ratioShuffled = shuffledRun.eventsPerSec / plain.eventsPerSec;
console.log(`\ncall log (hosts' order) / plain INSERT = ${ratioHost.toFixed(2)}`);
console.log(`call log (shuffled) / plain INSERT = ${ratioShuffled.toFixed(2)}`);
console.log(`records: ${host.records} and ${shuffledRun.records} for ${calls} calls making ${expectedRecords} records (must equal)`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/calllog-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify({ calls, events: hostOrder.length, concurrency: CONCURRENCY, rounds: ROUNDS, rows, ratioHost, ratioShuffled }, null, 2));
if (host.records !== expectedRecords || shuffledRun.records !== expectedRecords) process.exitCode = 1;
