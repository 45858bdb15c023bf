/**
 * The real pipeline in-process for the Telegram tests: events → call-log → telegram processors on
 * real Redis and PostgreSQL, talking to the sandbox Telegram (port 0). One enterprise with its own bot
 * and recipients per scenario; calls spaced ten minutes apart with their own parties, so each chat
 * must end with exactly one message per call.
 */
import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Kysely } from 'kysely';
import { createDb, createPool, type Database, type RecipientRole } from '@callpipe/db';
import type { EventType } from '@callpipe/events';
import { createRedis, newEventJob, Producers, queues, type EventJob } from '@callpipe/queues';
import { callFacts, DEFAULT_TIME_ZONE } from '@callpipe/call-facts';
import { renderCallMessage, viewOfCall, type SendLimits } from '@callpipe/telegram';
import { fanOutSteps } from '../../apps/workers/src/fanOut/index.js';
import { afterEntrySteps } from '../../apps/workers/src/fanOut/afterEntry.js';
import type { CallLogOptions } from '../../apps/workers/src/processors/callLog.js';
import { buildProcessors } from '../../apps/workers/src/processors/registry.js';
import type { TelegramSandbox } from '../../apps/sandbox/src/telegram/index.js';
import { telegramSyncDeps, type TelegramSyncOptions } from '../../apps/workers/src/telegram/deps.js';
import { WorkerHost } from '../../apps/workers/src/workerHost.js';
import { emulatedCall, PATTERN_IDS } from '../callLog/emulatedCalls.js';
import { serveSandbox } from '../support/sandboxServer.js';
import { testConfig, testLogger, uniqueEnterprise, productionBatching } from '../support/testEnv.js';

export const config = testConfig();

export interface Scenario {
  enterprise: string;
  token: string;
  recipients: { chatId: number; role: RecipientRole }[];
  events: EventJob[];
  /** Per recipient: the final text of every call (every record the emulator expects), sorted. */
  expectedTexts: Map<number, string[]>;
  callCount: number;
  /** Hangup events of all calls (consultations have their own). */
  hangupCount: number;
}

export const newBotToken = (): string => `${randomInt(1, 2 ** 40)}:AAH-pipeline-test-${randomInt(1e9)}`;

/** Every emulator pattern as one enterprise's calls, with a full and a brief recipient. */
export async function scenario(db: Kysely<Database>, patterns: readonly string[] = PATTERN_IDS): Promise<Scenario> {
  const ent = uniqueEnterprise();
  const token = newBotToken();
  await db.insertInto('enterprises').values({ number: ent.number, name: ent.name, name2: ent.token, bot_token: token }).execute();
  const recipients = [{ chatId: randomInt(1e6, 1e12), role: 'full' as const }, { chatId: randomInt(1e6, 1e12), role: 'brief' as const }];
  await db.insertInto('telegram_users').values(recipients.map((r) => ({ tg_id: r.chatId, bot_token: token, enterprise_number: ent.number, role: r.role }))).execute();
  const base = Date.now() - 6 * 3600_000;
  const events: EventJob[] = [];
  const expectedTexts = new Map<number, string[]>(recipients.map((r) => [r.chatId, []]));
  let callCount = 0;
  patterns.forEach((id, i) => {
    const startTime = new Date(base + i * 600_000);
    const c = emulatedCall(id, { seed: 11 + i, callIndex: i + randomInt(1000) * 40, startTime, ownParties: true });
    for (const e of c.call.events) {
      events.push(newEventJob(e.type as EventType, { ...e.body, Token: ent.token }, ent.number, 'live', new Date(startTime.getTime() + e.offsetMs)));
    }
    // One final message per record the call must make (a consultation nothing joins is a call of its own).
    for (const record of c.records) {
      const facts = callFacts(record.events.map((e) => ({ ...e, body: { ...e.body, Token: ent.token } })), { timeZone: DEFAULT_TIME_ZONE })!;
      const final = viewOfCall(facts)!;
      for (const r of recipients) expectedTexts.get(r.chatId)!.push(renderCallMessage(final.view, {}, r.role));
      callCount += 1;
    }
  });
  for (const texts of expectedTexts.values()) texts.sort();
  return { enterprise: ent.number, token, recipients, events, expectedTexts, callCount, hangupCount: events.filter((e) => e.eventType === 'hangup').length };
}

export interface Pipeline {
  db: Kysely<Database>;
  producers: Producers;
  /** `callLog`: the call-log processor's options (a test's own after-entry steps, say). */
  /** `telegramOptions`: the sync's options over the harness's own (its slot wait, say). */
  start(count: number, apiRoot: string, limits: SendLimits, callLog?: CallLogOptions, telegramOptions?: Partial<TelegramSyncOptions>): void;
  stopWorkers(): Promise<void>;
  idle(): Promise<boolean>;
  close(): Promise<void>;
}

export function pipeline(): Pipeline {
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: 12, applicationName: 'telegram-test' }));
  const main: Redis = createRedis(config.redisUrl, 'worker', 'telegram-test');
  const producers = new Producers(main, config.queuePrefix);
  const batching = productionBatching('telegram-test');
  let hosts: { host: WorkerHost; redis: Redis }[] = [];
  const log = testLogger();
  return {
    db,
    producers,
    start(count, apiRoot, limits, given, telegramOptions = {}) {
      // The production debounce unless a test brings its own steps: bursts fold as they do in service.
      const callLog = given ?? { steps: afterEntrySteps({ telegramDebounceMs: config.telegramSyncDebounceMs }) };
      for (let i = 0; i < count; i += 1) {
        const redis = createRedis(config.redisUrl, 'worker', `telegram-test-${i}`);
        const telegram = telegramSyncDeps({
          redis, prefix: config.queuePrefix, apiRoot, timeoutMs: 3000, limits, retry: { backoffBaseMs: 50 }, slotWaitMs: config.telegramSlotWaitMs, ...telegramOptions,
        });
        const host = new WorkerHost(buildProcessors({ fanOut: fanOutSteps(), telegram, callLog, eventBatch: batching.eventBatch }), {
          connection: redis, prefix: config.queuePrefix, concurrency: { events: 8, eventPackets: 2, callLog: 4, telegram: 8, crmDispatch: 2, telegramUpdates: 2 }, lockMs: 30_000,
          deps: { db, log, producers: new Producers(redis, config.queuePrefix) },
        });
        host.start();
        hosts.push({ host, redis });
      }
    },
    async stopWorkers() {
      for (const h of hosts) { await h.host.stop(10_000); h.redis.disconnect(); }
      hosts = [];
    },
    async idle() {
      for (const key of ['events', 'callLog', 'telegram'] as const) {
        const counts = await producers.queue(key).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).some((n) => n > 0)) return false;
      }
      return true;
    },
    async close() {
      await producers.close();
      main.disconnect();
      await db.destroy();
      await batching.close();
    },
  };
}

/**
 * Per test file: the sandbox (with this Telegram) served and one pipeline (`started` gets both); the
 * sandbox Telegram reset before each test and the workers stopped after it; both closed at the end.
 */
export function pipelinePerFile(telegram: TelegramSandbox, started: (s: { base: string; p: Pipeline }) => void): void {
  let closeSandbox = async (): Promise<void> => {};
  let p: Pipeline | undefined;
  beforeAll(async () => {
    const served = await serveSandbox({ telegram });
    closeSandbox = served.close;
    p = pipeline();
    started({ base: served.base, p });
  });
  afterAll(async () => {
    await p?.close();
    await closeSandbox();
  });
  beforeEach(() => telegram.reset());
  afterEach(async () => { await p?.stopWorkers(); });
}

export { queues };
