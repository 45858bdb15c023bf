/**
 * bench/telegram: calls/s through the whole pipeline (events → call-log → telegram syncs → the Bot
 * API) with the sandbox Telegram answering after a realistic delay (BENCH_DELAY_MS, default 100 ms)
 * and enforcing Telegram's real limits (1 message/s per chat, 30/s per bot). Same-run baseline: the
 * same calls through the pipeline with no recipients (events and call log only). A run ends when
 * every chat shows the final message of every call and all queues are empty.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import { eventKey, type EventType } from '@callpipe/events';
import { createLogger } from '@callpipe/logging';
import { migrateToLatest } from '@callpipe/migrations';
import { createRedis, newEventJob, Producers, type EventJob } from '@callpipe/queues';
import { callFacts, DEFAULT_TIME_ZONE } from '@callpipe/call-facts';
import { botIdOf, renderCallMessage, viewOfCall } from '@callpipe/telegram';
import type * as Emulator from '../../apps/sandbox/src/emulator/index.js';
import type * as SandboxApp from '../../apps/sandbox/src/sandbox.js';
import type * as Host from '../../apps/sandbox/src/host/emulatedHost.js';
import type * as TelegramSb from '../../apps/sandbox/src/telegram/index.js';
import type * as FanOut from '../../apps/workers/src/fanOut/index.js';
import type * as Registry from '../../apps/workers/src/processors/registry.js';
import type * as Deps from '../../apps/workers/src/telegram/deps.js';
import type * as HostMod from '../../apps/workers/src/workerHost.js';
import type * as ConcurrencyMod from '../../apps/workers/src/concurrency.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(root, path)).href)) as T;
const { generateCall, PATTERN_IDS } = await load<typeof Emulator>('apps/sandbox/dist/emulator/index.js');
const { sandboxServer } = await load<typeof SandboxApp>('apps/sandbox/dist/sandbox.js');
const { EmulatedHost } = await load<typeof Host>('apps/sandbox/dist/host/emulatedHost.js');
const { TelegramSandbox } = await load<typeof TelegramSb>('apps/sandbox/dist/telegram/index.js');
const { fanOutSteps } = await load<typeof FanOut>('apps/workers/dist/fanOut/index.js');
const { buildProcessors } = await load<typeof Registry>('apps/workers/dist/processors/registry.js');
const { telegramSyncDeps } = await load<typeof Deps>('apps/workers/dist/telegram/deps.js');
const { WorkerHost } = await load<typeof HostMod>('apps/workers/dist/workerHost.js');
const { queueConcurrency } = await load<typeof ConcurrencyMod>('apps/workers/dist/concurrency.js');

const CALLS = Number(process.env.BENCH_CALLS ?? 120);
const ENTERPRISES = Number(process.env.BENCH_ENTERPRISES ?? 20);
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 100);
const TG_CONCURRENCY = Number(process.env.BENCH_TELEGRAM_CONCURRENCY ?? 32);

const config = loadConfig();
const log = createLogger('bench-telegram', 'warn');
const dbName = `callpipe_bench_telegram_${process.pid}`;
const url = new URL(config.databaseUrl);
url.pathname = `/${dbName}`;
await migrateToLatest(url.toString());
const db = createDb(createPool({ connectionString: url.toString(), max: 16, applicationName: 'bench-telegram' }));
const redis = createRedis(config.redisUrl, 'worker', 'bench-telegram');

const telegram = new TelegramSandbox();
const sandbox = sandboxServer({ host: new EmulatedHost({ ingestUrl: 'http://127.0.0.1:9', token: 't', callsPerMinute: 0, speed: 1, log }), telegram });
const server = await new Promise<Server>((resolve) => { const s = sandbox.listen(0, '127.0.0.1', () => resolve(s)); });
const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

interface Chat { chatId: number; token: string; expected: string[] }
interface Run { name: string; seconds: number; callsPerSec: number; messages: number; sends: number; deletes: number; status429: number }

/** CALLS calls over ENTERPRISES enterprises, ten minutes apart within one, parties of their own. */
async function prepare(tag: string, withRecipients: boolean): Promise<{ events: EventJob[]; chats: Chat[] }> {
  const events: EventJob[] = [];
  const chats: Chat[] = [];
  const base = Date.now() - 24 * 3600_000;
  for (let e = 0; e < ENTERPRISES; e += 1) {
    const number = `${tag}${e}`;
    const hostToken = `bench-${tag}-${e}`;
    const token = `${randomInt(1, 2 ** 40)}:AAH-bench-telegram-secret-${tag}${e}`;
    await db.insertInto('enterprises').values({ number, name: number, name2: hostToken, bot_token: token }).execute();
    const mine: Chat[] = withRecipients
      ? [{ chatId: randomInt(1e6, 1e12), token, expected: [] }, { chatId: randomInt(1e6, 1e12), token, expected: [] }] : [];
    if (mine.length) {
      await db.insertInto('telegram_users').values(mine.map((c, k) => ({ tg_id: c.chatId, bot_token: token, enterprise_number: number, role: k === 0 ? 'full' as const : 'brief' as const }))).execute();
    }
    for (let i = e; i < CALLS; i += ENTERPRISES) {
      const start = base + i * 600_000;
      const call = generateCall(PATTERN_IDS[i % PATTERN_IDS.length]!, {
        token: hostToken, seed: 3, callIndex: i, startTime: new Date(start),
        extensions: [String(1000 + 3 * i), String(1001 + 3 * i), String(1002 + 3 * i)],
        phones: [`37533${String(1_000_000 + 3 * i)}`, `37533${String(1_000_001 + 3 * i)}`, `37533${String(1_000_002 + 3 * i)}`],
      });
      for (const ev of call.events) events.push(newEventJob(ev.type as EventType, ev.body, number, 'live', new Date(start + ev.offsetMs)));
      // One final message per record the call makes (an abandoned consultation is a call of its own).
      for (let r = 0; r < call.records.length; r += 1) {
        const own = call.events.filter((ev) => ev.record === r);
        const facts = callFacts(own.map((ev) => ({ key: eventKey(ev.type, ev.body), type: ev.type, body: ev.body, at: start + ev.offsetMs })), { timeZone: DEFAULT_TIME_ZONE });
        const final = facts ? viewOfCall(facts) : null;
        if (final) mine.forEach((c, k) => c.expected.push(renderCallMessage(final.view, {}, k === 0 ? 'full' : 'brief')));
      }
    }
    for (const c of mine) c.expected.sort();
    chats.push(...mine);
  }
  return { events: events.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)), chats };
}

async function run(name: string, tag: string, withRecipients: boolean): Promise<Run> {
  const prefix = `{bench-tg-${tag}-${process.pid}}`;
  const producers = new Producers(redis, prefix);
  const { events, chats } = await prepare(tag, withRecipients);
  const tg = telegramSyncDeps({ redis, prefix, apiRoot, timeoutMs: 5000 });
  const host = new WorkerHost(buildProcessors({ fanOut: fanOutSteps(), telegram: tg }), {
    connection: redis, prefix, concurrency: { ...queueConcurrency(loadConfig()), events: 16, callLog: 8, telegram: TG_CONCURRENCY }, lockMs: 30_000, deps: { db, log, producers },
  });
  telegram.reset();
  telegram.faults = { ...telegram.faults, delayMs: DELAY_MS };
  const started = performance.now();
  host.start();
  await producers.addBulk('events', events.map((e) => ({ name: e.eventType, data: e })));
  const done = async () => {
    for (const c of chats) {
      const got = telegram.state.messages(c.chatId, botIdOf(c.token)).map((m) => m.text).sort();
      if (JSON.stringify(got) !== JSON.stringify(c.expected)) return false;
    }
    for (const key of ['events', 'callLog', 'telegram'] as const) {
      const n = await producers.queue(key).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(n).some((x) => x > 0)) return false;
    }
    return true;
  };
  while (!(await done())) {
    if (performance.now() - started > 20 * 60_000) throw new Error(`${name}: not done after 20 minutes`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  await host.stop(10_000);
  for (const key of ['events', 'callLog', 'telegram'] as const) await producers.queue(key).obliterate({ force: true });
  await producers.close();
  const calls = telegram.state.callLog({});
  const r: Run = {
    name, seconds: Number(seconds.toFixed(2)), callsPerSec: Number((CALLS / seconds).toFixed(2)),
    messages: chats.reduce((n, c) => n + telegram.state.messages(c.chatId, botIdOf(c.token)).length, 0),
    sends: calls.filter((c) => c.method === 'sendMessage' && c.ok).length,
    deletes: calls.filter((c) => c.method === 'deleteMessage' && c.ok).length,
    status429: calls.filter((c) => c.status === 429).length,
  };
  process.stderr.write(`  ${name}: ${r.seconds} s, ${r.callsPerSec} calls/s, ${r.sends} sends, ${r.deletes} deletes, ${r.status429} × 429\n`);
  return r;
}

process.stderr.write(`bench/telegram: ${CALLS} calls over ${ENTERPRISES} enterprises (2 recipients each), sandbox delay ${DELAY_MS} ms, Telegram's real limits, telegram concurrency ${TG_CONCURRENCY}\n`);
let rows: Run[] = [];
try {
  rows = [await run('events + call log only (baseline)', 'a', false), await run('with Telegram, 2 recipients per enterprise', 'b', true)];
} finally {
  await db.destroy();
  redis.disconnect();
  server.closeAllConnections();
  server.close();
  const admin = new URL(config.databaseUrl);
  admin.pathname = '/postgres';
  const adminPool = createPool({ connectionString: admin.toString(), max: 1, applicationName: 'bench-telegram' });
  await adminPool.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await adminPool.end();
}
const [baseline, withTg] = rows as [Run, Run];
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`\n${'run'.padEnd(46)}${pad('seconds', 9)}${pad('calls/s', 9)}${pad('msgs', 6)}${pad('sends', 7)}${pad('deletes', 9)}${pad('429s', 6)}`);
for (const r of rows) console.log(`${r.name.padEnd(46)}${pad(r.seconds, 9)}${pad(r.callsPerSec, 9)}${pad(r.messages, 6)}${pad(r.sends, 7)}${pad(r.deletes, 9)}${pad(r.status429, 6)}`);
console.log(`\nwith Telegram / baseline = ${(withTg.callsPerSec / baseline.callsPerSec).toFixed(2)}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/telegram-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify({ calls: CALLS, enterprises: ENTERPRISES, delayMs: DELAY_MS, telegramConcurrency: TG_CONCURRENCY, rows }, null, 2));
process.exit(0);
