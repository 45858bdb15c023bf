/**
 * bench/pipeline: the whole pipeline, end to end, at stepped offered rates. The real built processes
 * (ingest, two workers processes, gateway, sandbox with Telegram) start as the Procfile starts them,
 * from BENCH_TREE (default: this checkout; an older commit's built worktree gives a "before" figure),
 * on a private Redis and PostgreSQL. Emulated hosts post calls over HTTP, open loop (hosts.ts).
 *
 * Phases (BENCH_PHASES): `calllog` (enterprises without Telegram recipients: events, call log, call
 * history), `telegram` (two recipients per enterprise, the sandbox enforcing Telegram's limits and
 * answering after BENCH_TELEGRAM_DELAY_MS), `one-worker` (as calllog, with one workers process). A
 * phase steps the rate up until the backlog grows, drains, then its costs per event and latencies
 * are read. Same-run baselines at the end: single-row INSERTs and bare BullMQ. Writes
 * bench/results/pipeline-<time>.json and bench/results/pipeline.svg; prints a table for README.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createDb, createPool } from '@callpipe/db';
import { createRedis } from '@callpipe/queues';
import type * as Emulator from '../../apps/sandbox/src/emulator/index.js';
import { freePort } from '../support/servers.js';
import { callTimes, stepResults, type StepResult } from './analysis.js';
import { bareBullmq, plainInserts, type Baseline } from './baselines.js';
import { costsBetween, idleRate, JobCounter, mark, resetStatements, type Costs } from './costs.js';
import { summarizeProfile, type ProfileSummary } from './cpuProfile.js';
import { runHosts, type Enterprise, type Step } from './hosts.js';
import { sustainedVsOfferedSvg } from './plot.js';
import { PrivatePostgres } from './privateStores.js';
import { PrivateRedis } from '../support/privateRedis.js';
import { countsBetween, workerCounts, type Counts } from './workerMetrics.js';
import { loadAverage, startApp, stopApp, waitHealthy, type App, type AppName } from './processes.js';
import { Sampler } from './sampler.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tree = process.env.BENCH_TREE ?? root;
const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const STEPS = (process.env.BENCH_STEPS ?? '2,4,8,16,32,48,64').split(',').map(Number);
// The telegram phase saturates at a fraction of the calllog phase's rate: steps of its own, same run.
const TELEGRAM_STEPS = process.env.BENCH_TELEGRAM_STEPS ? process.env.BENCH_TELEGRAM_STEPS.split(',').map(Number) : STEPS;
const STEP_SECONDS = num('BENCH_STEP_SECONDS', 30);
const SPEED = num('BENCH_SPEED', 10);
const ENTERPRISES = num('BENCH_ENTERPRISES', 400);
const DELAY_MS = num('BENCH_TELEGRAM_DELAY_MS', 100);
const INGESTS = num('BENCH_INGESTS', 1);
const WORKERS = num('BENCH_WORKERS', 2);
const PHASES = (process.env.BENCH_PHASES ?? 'calllog,telegram,one-worker').split(',');
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const BASELINE_MAX = num('BENCH_BASELINE_MAX', 20_000);
const DRAIN_SECONDS = num('BENCH_DRAIN_SECONDS', 240);
// Calls at the first step's rate before each phase, not measured: a running system's caches are warm
// (each PostgreSQL connection's first touch of an enterprise's partitions, plans, the bench's own JIT).
const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 10);
// A packet (event-packets) holds the events of one ingest write: its depth counts packets, not events.
const QUEUES = ['events', 'event-packets', 'call-log', 'telegram', 'crm-dispatch'];
const PREFIX = '{bench-pipeline}';
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const say = (line: string) => process.stderr.write(`${line}\n`);

const emu = (await import(pathToFileURL(join(root, 'apps/sandbox/dist/emulator/index.js')).href)) as typeof Emulator;
const redisStore = new PrivateRedis(await freePort(), { appendfsync: 'everysec', dirPrefix: 'callpipe-bench-redis-', stopSignal: 'SIGTERM' });
const pgStore = new PrivatePostgres(await freePort());
const dbName = 'callpipe_bench_pipeline';
const apps: App[] = [];
const spools: string[] = [];
// Interrupted (Ctrl-C, a timeout): stop every process this run started, and the private stores.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`bench/pipeline: ${signal}, stopping its processes`);
    void (async () => {
      for (const a of [...apps].reverse()) await stopApp(a, 5000);
      await redisStore.destroy();
      await pgStore.destroy();
      for (const d of spools) rmSync(d, { recursive: true, force: true });
      process.exit(130);
    })();
  });
}
const profileDir = join(root, `bench/results/profiles-${stamp}`);

function spool(): string {
  const d = mkdtempSync(join(tmpdir(), 'callpipe-bench-spool-'));
  spools.push(d);
  return d;
}

async function migrateAndSeed(): Promise<{ calllog: Enterprise[]; telegram: Enterprise[]; chats: Map<string, number> }> {
  await pgStore.createDatabase(dbName);
  const migrate = spawnSync(process.execPath, [join(tree, 'db/dist/migrate.js')], { cwd: tree, env: { ...process.env, DATABASE_URL: pgStore.url(dbName) }, encoding: 'utf8' });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr}`);
  const pool = createPool({ connectionString: pgStore.url(dbName), max: 2, applicationName: 'bench-pipeline-seed' });
  const make = async (tag: string, recipients: boolean): Promise<Enterprise[]> => {
    const out: Enterprise[] = [];
    for (let e = 0; e < ENTERPRISES; e += 1) {
      const number = `${tag}${String(e).padStart(4, '0')}`;
      const hostToken = `bench-host-${tag}-${e}`;
      const bot = `${randomInt(1, 2 ** 40)}:AAH-bench-pipeline-secret-${tag}${e}`;
      await pool.query('INSERT INTO enterprises (number, name, name2, bot_token) VALUES ($1, $2, $3, $4)', [number, number, hostToken, bot]);
      if (recipients) {
        await pool.query(`INSERT INTO telegram_users (tg_id, bot_token, enterprise_number, role) VALUES ($1, $3, $4, 'full'), ($2, $3, $4, 'brief')`,
          [randomInt(1e6, 1e12), randomInt(1e6, 1e12), bot, number]);
      }
      out.push({ number, hostToken });
    }
    return out;
  };
  const calllog = await make('c', false);
  const telegram = await make('t', true);
  await pool.end();
  return { calllog, telegram, chats: new Map(telegram.map((t) => [t.number, 2])) };
}

interface Phase {
  name: string; workers: number; steps: StepResult[]; costs: Costs; splitCalls: number; mergedRecords: number; calls: number; events: number; ackErrors: Record<string, number>;
  /** The workers' Telegram counters over the phase: chats synced by outcome (`sync:`), Bot API calls by method (`api:`). */
  telegram: Counts;
}

let exitCode = 0;
/** The ingests' write counters so far (their /health), summed; undefined if a tree's ingest has none. */
async function ingestWrites(ports: number[]): Promise<{ events: number; batches: number; packets: number } | undefined> {
  const sum = { events: 0, batches: 0, packets: 0 };
  for (const port of ports) {
    const body = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json() as Promise<{ counters?: Record<string, number> }>).catch(() => undefined);
    const c = body?.counters;
    if (!c) return undefined;
    sum.events += (c.queued ?? 0) + (c.spooled ?? 0);
    sum.batches += c.batches ?? 0;
    sum.packets += c.packets ?? 0;
  }
  return sum;
}

const phases: Phase[] = [];
let baselines: Baseline[] = [];
let profiles: ProfileSummary[] = [];
const startLoad = loadAverage();
try {
  await redisStore.start();
  await pgStore.start();
  const { calllog, telegram, chats } = await migrateAndSeed();
  const ports = { sandbox: await freePort(), gateway: await freePort() };
  const env = (extra: Record<string, string>): Record<string, string> => ({
    ...(process.env as Record<string, string>),
    DATABASE_URL: pgStore.url(dbName), REDIS_URL: redisStore.url, QUEUE_PREFIX: PREFIX, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    SANDBOX_PORT: String(ports.sandbox), GATEWAY_PORT: String(ports.gateway), TELEGRAM_API_BASE: `http://127.0.0.1:${ports.sandbox}`,
    SANDBOX_CALLS_PER_MINUTE: '0', ADMIN_USER: 'bench', ADMIN_PASSWORD: `bench-${randomInt(1e9)}`, ...extra,
  });
  const start = async (app: AppName, label: string, port: number, extra: Record<string, string>, ok200: boolean, nodeArgs: string[] = []) => {
    const a = startApp(tree, app, label, port, env(extra), nodeArgs);
    apps.push(a);
    await waitHealthy(a, ok200);
    return a;
  };
  if (CPU_PROF) mkdirSync(profileDir, { recursive: true });
  const profArgs = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  await start('sandbox', 'sandbox', ports.sandbox, {}, false, profArgs);
  await fetch(`http://127.0.0.1:${ports.sandbox}/_sandbox/telegram/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delayMs: DELAY_MS }),
  });
  const workers: App[] = [];
  const workerPorts: number[] = [];
  for (let w = 1; w <= WORKERS; w += 1) {
    const port = await freePort();
    workerPorts.push(port);
    workers.push(await start('workers', `workers#${w}`, port, { WORKERS_PORT: String(port) }, false, profArgs));
  }
  const ingestPorts: number[] = [];
  for (let i = 1; i <= INGESTS; i += 1) {
    const port = await freePort();
    ingestPorts.push(port);
    await start('ingest', `ingest#${i}`, port, { INGEST_PORT: String(port), INGEST_SPOOL_DIR: spool() }, true, profArgs);
  }
  await start('gateway', 'gateway', ports.gateway, {}, false);
  say(`bench/pipeline: tree ${tree}; ${WORKERS} workers, ${INGESTS} ingest; steps ${STEPS.join(',')} calls/s × ${STEP_SECONDS} s, speed ${SPEED}; ${ENTERPRISES} enterprises per phase; load ${startLoad.join(' ')}`);

  const redis = createRedis(redisStore.url, 'worker', 'bench-pipeline');
  const pool = createPool({ connectionString: pgStore.url(dbName), max: 8, applicationName: 'bench-pipeline' });
  const db = createDb(pool);
  // The workers create every enterprise's call-log partitions at start; measure after that, as a
  // running system is (a new enterprise's first event otherwise meets the DDL).
  const warmUntil = Date.now() + 300_000;
  for (;;) {
    const { rows } = await pool.query<{ missing: string }>(`SELECT count(*) AS missing FROM enterprises e WHERE NOT EXISTS (
      SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'call_trace_entries' AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', e.number))`);
    if (Number(rows[0]!.missing) === 0) break;
    if (Date.now() > warmUntil) throw new Error(`call-log partitions still missing for ${rows[0]!.missing} enterprises`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const counter = new JobCounter(redisStore.url, PREFIX, QUEUES);
  await counter.ready();
  const groups = [
    ...apps.map((a) => ({ label: a.label, pids: () => (a.proc.exitCode === null && a.proc.pid ? [a.proc.pid] : []) })),
    { label: 'redis', pids: () => (redisStore.proc?.pid ? [redisStore.proc.pid] : []) },
    { label: 'postgres', pids: () => pgStore.pids() },
    { label: 'bench (hosts)', pids: () => [process.pid] },
  ];
  const sampler = new Sampler(redis, PREFIX, QUEUES, groups);
  const samplerT0 = performance.now();
  sampler.start(samplerT0);
  const backlog = async () => Object.values(await sampler.depth()).reduce((a, b) => a + b, 0);
  let firstCall = 0;
  const idle0 = await mark(redis, pool, dbName);
  await new Promise((r) => setTimeout(r, 10_000));
  const idlePerSec = idleRate(idle0, await mark(redis, pool, dbName), 10);
  say(`idle: ${Math.round(idlePerSec)} Redis commands a second with nothing flowing`);

  for (const name of PHASES) {
    if (name === 'one-worker') {
      for (const w of workers.slice(1)) await stopApp(w);
    }
    const alive = workers.filter((w) => w.proc.exitCode === null).length;
    const ents = name === 'telegram' ? telegram : calllog;
    const phaseSteps = name === 'telegram' ? TELEGRAM_STEPS : STEPS;
    const steps: Step[] = phaseSteps.map((callsPerSec) => ({ callsPerSec, seconds: STEP_SECONDS }));
    const parties = new Map<string, number>();
    const drain = async () => {
      const drainUntil = Date.now() + DRAIN_SECONDS * 1000;
      while ((await backlog()) > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 1000));
    };
    if (WARMUP_SECONDS > 0) {
      say(`phase ${name}: warm-up, ${WARMUP_SECONDS} s at ${phaseSteps[0]} calls/s (not measured)`);
      const warm = await runHosts({ emu, ingestPorts, enterprises: ents, steps: [{ callsPerSec: phaseSteps[0]!, seconds: WARMUP_SECONDS }], speed: SPEED, firstCall, parties });
      firstCall += warm.calls.length;
      await drain();
    }
    await resetStatements(pool);
    const before = await mark(redis, pool, dbName);
    const jobsBefore = counter.snapshot();
    const telegramBefore = await workerCounts(workerPorts);
    const phaseStart = performance.now();
    say(`phase ${name} (${alive} workers processes)`);
    const run = await runHosts({
      emu, ingestPorts, enterprises: ents, steps, speed: SPEED, firstCall, parties,
      onStep: (s) => say(`  step ${s + 1}: ${phaseSteps[s]} calls/s ≈ ${Math.round(phaseSteps[s]! * 17.4)} events/s offered; backlog ${sampler.samples.at(-1) ? JSON.stringify(sampler.samples.at(-1)!.depth) : '-'}`),
      goOn: async (s) => {
        // More than 10 s of the offered rate waiting, and still growing: this phase saturated.
        const now = await backlog();
        const offered = phaseSteps[s]! * 17.4;
        const mid = sampler.samples.at(-Math.ceil(STEP_SECONDS / 2));
        const midDepth = mid ? Object.values(mid.depth).reduce((a, b) => a + b, 0) : 0;
        const stop = now > 10 * offered && now > midDepth;
        if (stop) say(`  backlog ${now} and growing: stepping stops`);
        return !stop;
      },
    });
    firstCall += run.calls.length;
    say(`  sent ${run.sent.length} events of ${run.calls.length} calls; draining (backlog ${await backlog()})`);
    await drain();
    await new Promise((r) => setTimeout(r, 1500)); // pg_stat counters flush about once a second
    const costs = await costsBetween(redis, pool, dbName, before, jobsBefore, counter.snapshot(), run.sent.length,
      { perSec: idlePerSec, seconds: (performance.now() - phaseStart) / 1000 });
    const times = await callTimes(db, run, (e) => chats.get(e) ?? 0);
    const stepsOut = stepResults(run, steps, times, sampler.samples, samplerT0);
    const telegramCounts = countsBetween(telegramBefore, await workerCounts(workerPorts));
    phases.push({ name, workers: alive, steps: stepsOut, costs, splitCalls: times.split, mergedRecords: times.merged, calls: run.calls.length, events: run.sent.length, ackErrors: run.errors, telegram: telegramCounts });
    for (const s of stepsOut) {
      say(`  step ${s.step + 1}: offered ${s.offeredEventsPerSec}/s sustained ${s.sustainedEventsPerSec}/s ack p99 ${s.ackMs.p99} ms, record p50/p99 ${s.recordCompleteMs.p50}/${s.recordCompleteMs.p99} ms`
        + `${s.finalTelegramMs ? `, telegram p50/p99 ${s.finalTelegramMs.p50}/${s.finalTelegramMs.p99} ms` : ''}, backlog ${s.backlogStart}→${s.backlogEnd}${s.saturated ? ' SATURATED' : ''}`
        + `; CPU ${Object.values(s.cpu).reduce((a, v) => a + v, 0).toFixed(2)} cores used, ${s.steal} stolen`);
      // What each process costs an event: CPU (its kernel share: system calls, sockets), write system
      // calls (its messages to the others) and context switches (how often it was woken).
      const perEvent = (v: number, scale: number) => (s.sustainedEventsPerSec > 0 ? (v * scale) / s.sustainedEventsPerSec : 0);
      const kernelPct = (k: string) => Math.round((100 * (s.kernel[k] ?? 0)) / Math.max(1e-9, s.cpu[k]!));
      say(`    per event: ${Object.keys(s.cpu).filter((k) => s.cpu[k]! > 0.005).map((k) => `${k} ${perEvent(s.cpu[k]!, 1000).toFixed(2)} ms CPU (${kernelPct(k)} % kernel), `
        + `${perEvent(s.writes[k] ?? 0, 1).toFixed(1)} writes, ${perEvent(s.switches[k] ?? 0, 1).toFixed(1)} switches`).join('; ')}`);
    }
    say(`  per event: ${costs.redisCommandsPerEvent} Redis commands, ${costs.sqlStatementsPerEvent} SQL statements (+${costs.txControlPerEvent} BEGIN/COMMIT, ${costs.sqlNestedPerEvent} in functions), ${costs.transactionsPerEvent} transactions, jobs ${JSON.stringify(costs.jobsPerEvent)}; split calls ${times.split}, false merges ${times.merged}`);
    const writes = await ingestWrites(ingestPorts);
    if (writes) say(`  ingest: ${writes.events} events in ${writes.batches} Redis writes (${(writes.events / Math.max(1, writes.batches)).toFixed(2)} a write), ${writes.packets} of them packets`);
    if (Object.keys(telegramCounts).length > 0) {
      const perCall = Object.entries(telegramCounts).map(([k, v]) => `${k} ${(v / Math.max(1, run.calls.length)).toFixed(2)}`).join(', ');
      say(`  telegram per call (workers' counters): ${perCall}`);
    }
    if (times.split > 0 || times.merged > 0) exitCode = 1;
    for (const x of times.splitExamples) say(`  split call (event@record/the emulator's record +time ack ms): ${x}`);
  }
  await sampler.stop();
  await counter.close();
  const n = Math.min(BASELINE_MAX, Math.max(...phases.map((p) => p.events), 1000));
  say(`baselines: ${n} jobs each`);
  baselines = [await plainInserts(pool, n), await bareBullmq(redis, PREFIX, n)];
  for (const b of baselines) say(`  ${b.name}: ${b.perSec}/s`);
  await db.destroy();
  redis.disconnect();
} catch (err) {
  exitCode = 1;
  say(`bench/pipeline failed: ${(err as Error).stack ?? String(err)}`);
  for (const a of apps) if (a.tail.length) say(`--- ${a.label} (exit ${a.proc.exitCode}) ---\n${a.tail.slice(-8).join('\n')}`);
} finally {
  for (const a of [...apps].reverse()) await stopApp(a);
  if (CPU_PROF) {
    try {
      profiles = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => summarizeProfile(join(profileDir, f)));
    } catch (err) {
      say(`no CPU profiles: ${(err as Error).message}`);
    }
  }
  await redisStore.destroy();
  await pgStore.destroy();
  for (const d of spools) rmSync(d, { recursive: true, force: true });
}

// Highest offered step without backlog growth, per phase; when every step saturated, the best of them (marked).
const best = (p: Phase) => p.steps.filter((s) => !s.saturated).sort((a, b) => b.sustainedEventsPerSec - a.sustainedEventsPerSec)[0]
  ?? [...p.steps].sort((a, b) => b.sustainedEventsPerSec - a.sustainedEventsPerSec)[0];
const insert = baselines[0]?.perSec ?? NaN;
const bull = baselines[1]?.perSec ?? NaN;
const rows = phases.map((p) => {
  const b = best(p);
  return { phase: p.name, workers: p.workers, saturated: b?.saturated ?? true, sustained: b?.sustainedEventsPerSec ?? 0, offered: b?.offeredEventsPerSec ?? 0,
    ackP99: b?.ackMs.p99, recordP99: b?.recordCompleteMs.p99, telegramP99: b?.finalTelegramMs?.p99 ?? null,
    workersRssMiB: b ? Math.max(0, ...Object.entries(b.rssMiB).filter(([k]) => k.startsWith('workers')).map(([, v]) => v)) : 0,
    callsInFlight: b?.callsInFlight ?? 0,
    vsInsert: Number(((b?.sustainedEventsPerSec ?? 0) / insert).toFixed(3)), vsBullmq: Number(((b?.sustainedEventsPerSec ?? 0) / bull).toFixed(3)) };
});
console.log(`\n| phase | workers | offered ev/s | sustained ev/s (no backlog growth) | ack p99 ms | ack→record p99 ms | ack→final Telegram p99 ms | workers RSS MiB (max) | calls in flight | / INSERT | / BullMQ |`);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.phase} | ${r.workers} | ${r.offered} | ${r.sustained}${r.saturated ? ' (backlog grows at every step)' : ''} | ${r.ackP99 ?? '-'} | ${r.recordP99 ?? '-'} | ${r.telegramP99 ?? '-'} | ${r.workersRssMiB} | ${r.callsInFlight} | ${r.vsInsert} | ${r.vsBullmq} |`);
console.log(`\nbaselines: ${baselines.map((b) => `${b.name} ${b.perSec}/s`).join('; ')}; load average at start ${startLoad.join(' ')}, at end ${loadAverage().join(' ')}; ${cpus().length} cores`);
for (const p of phases) {
  const c = p.costs;
  console.log(`per event (${p.name}): ${c.redisCommandsPerEvent} Redis commands (${c.evalshaPerEvent} EVALSHA), ${c.sqlStatementsPerEvent} SQL statements + ${c.txControlPerEvent} BEGIN/COMMIT (${c.sqlNestedPerEvent} more inside functions), ${c.transactionsPerEvent} transactions, jobs ${JSON.stringify(c.jobsPerEvent)}`);
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
// BENCH_RESULT_FILE: where ab.ts wants this run's JSON.
writeFileSync(process.env.BENCH_RESULT_FILE ?? join(root, `bench/results/pipeline-${stamp}.json`), JSON.stringify({
  tree, steps: STEPS, telegramSteps: TELEGRAM_STEPS, stepSeconds: STEP_SECONDS, speed: SPEED, enterprises: ENTERPRISES, telegramDelayMs: DELAY_MS, ingests: INGESTS,
  loadAverage: { start: startLoad, end: loadAverage() }, cores: cpus().length, rows, baselines, phases, profiles,
}, null, 2));
writeFileSync(join(root, 'bench/results/pipeline.svg'), sustainedVsOfferedSvg(phases.map((p) => ({
  name: `${p.name} (${p.workers} workers)`, points: p.steps.map((s) => ({ offered: s.offeredEventsPerSec, sustained: s.sustainedEventsPerSec, saturated: s.saturated })),
})), `bench/pipeline ${stamp.slice(0, 16)}: sustained vs offered events/s (load ${startLoad[0]})`));
if (profiles.length) for (const p of profiles) console.log(`profile ${p.file}: ${JSON.stringify(p.byArea)}`);
process.exit(exitCode);
