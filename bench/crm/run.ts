/**
 * bench/crm: the CRM half of the pipeline (events → call log → crm-dispatch → the sandbox RetailCRM,
 * answering after BENCH_CRM_DELAY_MS and enforcing RetailCRM's real per-key limits, 10/s and 40/s on
 * /telephony).
 *
 * 1. Popup latency: BENCH_RATE calls/s (default 50) for BENCH_SECONDS (20); each call's start and
 *    dial are queued as the ingest queues them (the "ack"), its bridge and hangup BENCH_HOLD_MS later.
 *    Latency = the sandbox receiving the popup − the dial's ack; p50 / p99.
 * 2. History throughput: BENCH_HISTORY_CALLS ended calls (default 1000) queued at once, through the
 *    pipeline without CRMs (baseline) and with RetailCRM (until every history row is in), in one run.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import express from 'express';
import { loadConfig } from '@callpipe/config';
import { createConfigCache } from '@callpipe/config-cache';
import { createDb, createPool } from '@callpipe/db';
import { eventKey, type EventType } from '@callpipe/events';
import { createLogger } from '@callpipe/logging';
import { migrateToLatest } from '@callpipe/migrations';
import { createRedis, newEventJob, Producers, QUEUE_KEYS, type EventJob, type QueueKey } from '@callpipe/queues';
import { callFacts, DEFAULT_TIME_ZONE } from '@callpipe/call-facts';
import type * as Emulator from '../../apps/sandbox/src/emulator/index.js';
import type * as RetailSb from '../../apps/sandbox/src/crm/retailcrm/index.js';
import type * as FanOut from '../../apps/workers/src/fanOut/index.js';
import type * as AfterEntry from '../../apps/workers/src/fanOut/afterEntry.js';
import type * as Registry from '../../apps/workers/src/processors/registry.js';
import type * as TgDeps from '../../apps/workers/src/telegram/deps.js';
import type * as CrmDeps from '../../apps/workers/src/crm/deps.js';
import type * as HostMod from '../../apps/workers/src/workerHost.js';
import type * as OutagesMod from '../../apps/workers/src/outages.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(root, path)).href)) as T;
const { generateCall } = await load<typeof Emulator>('apps/sandbox/dist/emulator/index.js');
const { RetailCrmSandbox, retailCrmApiRoutes, RETAILCRM_NO_FAULTS } = await load<typeof RetailSb>('apps/sandbox/dist/crm/retailcrm/index.js');
const { fanOutSteps } = await load<typeof FanOut>('apps/workers/dist/fanOut/index.js');
const { afterEntrySteps } = await load<typeof AfterEntry>('apps/workers/dist/fanOut/afterEntry.js');
const { buildProcessors } = await load<typeof Registry>('apps/workers/dist/processors/registry.js');
const { telegramSyncDeps } = await load<typeof TgDeps>('apps/workers/dist/telegram/deps.js');
const { crmDispatchDeps } = await load<typeof CrmDeps>('apps/workers/dist/crm/deps.js');
const { WorkerHost } = await load<typeof HostMod>('apps/workers/dist/workerHost.js');
const { createOutages } = await load<typeof OutagesMod>('apps/workers/dist/outages.js');

const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const HOLD_MS = Number(process.env.BENCH_HOLD_MS ?? 3000);
const HISTORY_CALLS = Number(process.env.BENCH_HISTORY_CALLS ?? 1000);
const DELAY_MS = Number(process.env.BENCH_CRM_DELAY_MS ?? 30);

const config = loadConfig();
const log = createLogger('bench-crm', 'warn');
const dbName = `callpipe_bench_crm_${process.pid}`;
const url = new URL(config.databaseUrl);
url.pathname = `/${dbName}`;
await migrateToLatest(url.toString());
const db = createDb(createPool({ connectionString: url.toString(), max: 20, applicationName: 'bench-crm' }));
const redis = createRedis(config.redisUrl, 'worker', 'bench-crm');
const cacheRedis = createRedis(config.redisUrl, 'fail-fast', 'bench-crm-cache');
cacheRedis.on('error', () => undefined);

const sandbox = new RetailCrmSandbox();
const app = express();
app.use(retailCrmApiRoutes(sandbox));
const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
const crmBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

interface BenchCall { callRef: string; events: EventJob[] }

/** A simple inbound call answered by one of three extensions of its own (all mapped to RetailCRM users). */
function makeCall(enterprise: string, token: string, i: number, start: number): BenchCall {
  const call = generateCall('1-1', {
    token, seed: 5, callIndex: i, startTime: new Date(start),
    extensions: [String(1000 + 3 * (i % 3000)), String(1001 + 3 * (i % 3000)), String(1002 + 3 * (i % 3000))],
    phones: [`37544${String(1_000_000 + i)}`, `37544${String(2_000_000 + i)}`, `37544${String(3_000_000 + i)}`],
  });
  const facts = callFacts(call.events.map((e) => ({ key: eventKey(e.type, e.body), type: e.type, body: e.body, at: start + e.offsetMs })), { timeZone: DEFAULT_TIME_ZONE })!;
  return { callRef: facts.callRef, events: call.events.map((e) => newEventJob(e.type as EventType, e.body, enterprise, 'live', new Date(start + e.offsetMs))) };
}

async function enterprise(tag: string, withCrm: boolean): Promise<{ number: string; token: string; account: string }> {
  const number = `bc${tag}${randomInt(1e6)}`;
  const token = `bench-crm-${number}`;
  const account = `bench${number}`;
  const userExtensions: Record<string, string> = {};
  const users = [];
  for (let k = 0; k < 9000; k += 1) {
    userExtensions[String(10_000 + k)] = String(1000 + k);
    if (withCrm) users.push({ id: 10_000 + k, firstName: `M${k}`, lastName: 'Bench', code: String(1000 + k) });
  }
  if (withCrm) sandbox.setup({ name: account, apiKey: `key-${number}`, users });
  await db.insertInto('enterprises').values({
    number, name: number, name2: token,
    integrations_config: JSON.stringify(withCrm ? { retailcrm: { enabled: true, domain: `${crmBase}/retailcrm/${account}`, api_key: `key-${number}`, user_extensions: userExtensions } } : {}),
  }).execute();
  return { number, token, account };
}

interface Pipeline { producers: Producers; stop(): Promise<void>; idle(): Promise<boolean> }

function pipeline(prefix: string): Pipeline {
  const producers = new Producers(redis, prefix);
  const cache = createConfigCache({
    redis: cacheRedis, db, databaseUrl: url.toString(), prefix, log, ttlSeconds: 90, refreshSeconds: 240, refreshJitterSeconds: 60, cleanupSeconds: 30,
  });
  const crm = crmDispatchDeps({ ...config, crmHistoryDelayMs: Number(process.env.BENCH_HISTORY_DELAY_MS ?? 1000) }, { redis, prefix, cache, db, producers });
  const telegram = telegramSyncDeps({ redis, prefix, apiRoot: 'http://127.0.0.1:9', timeoutMs: 1000 });
  const table = buildProcessors({ fanOut: fanOutSteps(), telegram, callLog: { defaultTimeZone: DEFAULT_TIME_ZONE, steps: afterEntrySteps({ crm }) }, crm });
  const concurrency = { ...Object.fromEntries(QUEUE_KEYS.map((k) => [k, 4])) as Record<QueueKey, number>, events: 16, callLog: 8, crmDispatch: 32 };
  const host = new WorkerHost(table, { connection: redis, prefix, concurrency, lockMs: 30_000, deps: { db, log, producers }, outages: createOutages(log, 60_000) });
  host.start();
  return {
    producers,
    async idle() {
      for (const key of ['events', 'callLog', 'crmDispatch'] as const) {
        const n = await producers.queue(key).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(n).some((x) => x > 0)) return false;
      }
      return true;
    },
    async stop() {
      await host.stop(10_000);
      await cache.stop();
      for (const key of QUEUE_KEYS) await producers.queue(key).obliterate({ force: true });
      await producers.close();
      // The CRM state, breaker, limiter and cache keys of this run.
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; };

async function until(what: string, probe: () => Promise<boolean>, limitMs = 20 * 60_000): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > limitMs) throw new Error(`${what}: not done after ${limitMs / 1000} s`);
    await sleep(100);
  }
}

async function popupLatency(): Promise<{ calls: number; p50: number; p99: number; max: number; status429: number }> {
  const p = pipeline(`{bench-crm-p-${process.pid}}`);
  const e = await enterprise('p', true);
  sandbox.faults.set(e.account, { ...RETAILCRM_NO_FAULTS, delayMs: DELAY_MS });
  const total = RATE * SECONDS;
  const ackAt = new Map<string, number>();
  const started = Date.now();
  const base = Date.now() - 3600_000;
  const feeding: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / RATE;
    if (due > Date.now()) await sleep(due - Date.now());
    const c = makeCall(e.number, e.token, i, base + i * 1000);
    const dialAt = c.events.findIndex((ev) => ev.eventType === 'dial');
    feeding.push((async () => {
      for (const ev of c.events.slice(0, dialAt + 1)) await p.producers.add('events', ev.eventType, ev);
      ackAt.set(c.callRef, Date.now());
      await sleep(HOLD_MS);
      for (const ev of c.events.slice(dialAt + 1)) await p.producers.add('events', ev.eventType, ev);
    })());
  }
  await Promise.all(feeding);
  await until('popup run', async () => (sandbox.state.account(e.account)?.history.size ?? 0) >= total && await p.idle());
  const firstPopup = new Map<string, number>();
  for (const r of sandbox.state.requestLog({ account: e.account, path: 'telephony/call/event' })) {
    const ev = r.params.event as { callExternalId?: string; type?: string } | undefined;
    if (r.status === 200 && ev?.callExternalId && ev.type !== 'hangup' && !firstPopup.has(ev.callExternalId)) firstPopup.set(ev.callExternalId, r.atMs);
  }
  const lat = [...ackAt].map(([ref, at]) => (firstPopup.get(ref) ?? NaN) - at).filter((x) => Number.isFinite(x));
  const status429 = sandbox.state.requestLog({ account: e.account }).filter((r) => r.status === 429).length;
  await p.stop();
  return { calls: lat.length, p50: pct(lat, 50), p99: pct(lat, 99), max: Math.max(...lat), status429 };
}

async function history(withCrm: boolean): Promise<{ name: string; seconds: number; callsPerSec: number; uploads: number }> {
  const p = pipeline(`{bench-crm-h${withCrm ? 'c' : 'b'}-${process.pid}}`);
  const e = await enterprise(withCrm ? 'hc' : 'hb', withCrm);
  if (withCrm) sandbox.faults.set(e.account, { ...RETAILCRM_NO_FAULTS, delayMs: DELAY_MS });
  const base = Date.now() - 7200_000;
  const events = Array.from({ length: HISTORY_CALLS }, (_, i) => makeCall(e.number, e.token, 5000 + i, base + i * 1000).events).flat();
  const started = performance.now();
  for (let i = 0; i < events.length; i += 500) await p.producers.addBulk('events', events.slice(i, i + 500).map((ev) => ({ name: ev.eventType, data: ev })));
  await until('history run', async () => (!withCrm || (sandbox.state.account(e.account)?.history.size ?? 0) >= HISTORY_CALLS) && await p.idle());
  const seconds = (performance.now() - started) / 1000;
  const uploads = withCrm ? sandbox.state.requestLog({ account: e.account, path: 'telephony/calls/upload' }).filter((r) => r.status === 200).length : 0;
  await p.stop();
  return { name: withCrm ? 'with RetailCRM (history batched)' : 'events + call log, no CRM (baseline)', seconds: Number(seconds.toFixed(2)), callsPerSec: Number((HISTORY_CALLS / seconds).toFixed(1)), uploads };
}

process.stderr.write(`bench/crm: popups at ${RATE} calls/s for ${SECONDS} s; history of ${HISTORY_CALLS} calls; sandbox delay ${DELAY_MS} ms, RetailCRM's real limits\n`);
let popup: Awaited<ReturnType<typeof popupLatency>> | undefined;
const rows: Awaited<ReturnType<typeof history>>[] = [];
try {
  popup = await popupLatency();
  rows.push(await history(false), await history(true));
} finally {
  await db.destroy();
  redis.disconnect();
  cacheRedis.disconnect();
  server.closeAllConnections();
  server.close();
  const admin = new URL(config.databaseUrl);
  admin.pathname = '/postgres';
  const adminPool = createPool({ connectionString: admin.toString(), max: 1, applicationName: 'bench-crm' });
  await adminPool.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await adminPool.end();
}
console.log(`\npopup latency (dial ack → sandbox RetailCRM has the popup), ${popup!.calls} calls at ${RATE}/s: p50 ${popup!.p50} ms, p99 ${popup!.p99} ms, max ${popup!.max} ms, ${popup!.status429} × 429`);
for (const r of rows) console.log(`${r.name.padEnd(40)} ${String(r.seconds).padStart(8)} s ${String(r.callsPerSec).padStart(8)} calls/s${r.uploads ? `, ${r.uploads} calls/upload requests` : ''}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/crm-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify({ rate: RATE, seconds: SECONDS, historyCalls: HISTORY_CALLS, delayMs: DELAY_MS, popup, rows }, null, 2));
process.exit(0);
