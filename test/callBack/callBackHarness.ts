/**
 * The call-back's world in-process: the real events → call-log → telegram processors and the
 * telegram-updates processor on real Redis and PostgreSQL, the sandbox Telegram (HTTP, port 0) and the
 * sandbox AMI (TCP, port 0), one enterprise with three recipients: two linked to extensions, one not.
 */
import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { amiSettingsOf } from '@callpipe/ami';
import { createDb, createPool, type Database } from '@callpipe/db';
import type { EventType } from '@callpipe/events';
import { createRedis, newEventJob, Producers, type EventJob } from '@callpipe/queues';
import { botIdOf } from '@callpipe/telegram';
import { AmiSandbox } from '../../apps/sandbox/src/ami/index.js';
import type { GeneratedCall } from '../../apps/sandbox/src/emulator/index.js';
import { EmulatedHost } from '../../apps/sandbox/src/host/emulatedHost.js';
import { sandboxHandler } from '../../apps/sandbox/src/sandbox.js';
import { TelegramSandbox } from '../../apps/sandbox/src/telegram/index.js';
import type { RetailCrmSandbox } from '../../apps/sandbox/src/crm/retailcrm/retailCrmSandbox.js';
import { fanOutSteps } from '../../apps/workers/src/fanOut/index.js';
import { buildProcessors } from '../../apps/workers/src/processors/registry.js';
import type { CallBackDeps } from '../../apps/workers/src/telegram/callBack/handlePress.js';
import { telegramSyncDeps, type TelegramSyncDeps } from '../../apps/workers/src/telegram/deps.js';
import { TelegramUpdateSource } from '../../apps/workers/src/telegram/updates/updateSource.js';
import { WorkerHost } from '../../apps/workers/src/workerHost.js';
import { emulatedCall } from '../callLog/emulatedCalls.js';
import { listen } from '../support/listen.js';
import { testConfig, testLogger, uniqueEnterprise, productionBatching } from '../support/testEnv.js';

export const AMI_SECRET = 'call-back-ami-secret';
export const WEBHOOK_SECRET = 'webhook-secret-for-tests-0123456789';

export interface Recipient { chatId: number; extension: string | null; name: string }

export class CallBackWorld {
  readonly config = testConfig({ TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, AMI_CONNECT_TIMEOUT_MS: '1000', AMI_ORIGINATE_TIMEOUT_MS: '3000' });
  readonly db: Kysely<Database> = createDb(createPool({ connectionString: this.config.databaseUrl, max: 10, applicationName: 'call-back-test' }));
  readonly redis: Redis = createRedis(this.config.redisUrl, 'worker', 'call-back-test');
  readonly producers = new Producers(this.redis, this.config.queuePrefix);
  readonly telegram = new TelegramSandbox({ limits: { chatIntervalMs: 20, chatBurst: 10, groupPerMinute: 1000, botPerSecond: 200 } });
  readonly placed: GeneratedCall[] = [];
  /** With `feedPipeline`, an answered Originate's call is queued as events (what the ingest would do with the host's posts). */
  feedPipeline = false;
  readonly ami = new AmiSandbox({
    username: 'crm', secret: AMI_SECRET, token: 'unused', answerMs: 80,
    placeCall: async (c) => {
      this.placed.push(c);
      if (!this.feedPipeline) return;
      const t0 = Date.now();
      await this.producers.addBulk('events', c.events.map((e) => {
        const job = newEventJob(e.type as EventType, { ...e.body, Token: this.ent.token }, this.ent.number, 'live', new Date(t0 + e.offsetMs));
        return { name: job.eventType, data: job };
      }));
    },
  });
  readonly ent = uniqueEnterprise();
  readonly botToken = `${randomInt(1, 2 ** 40)}:AAH-call-back-test-${randomInt(1e9)}`;
  readonly botId = botIdOf(this.botToken);
  /** a: linked to 150, b: not linked, c: linked to 151. */
  readonly recipients: Recipient[] = [
    { chatId: randomInt(1e6, 1e12), extension: '150', name: 'Анна' },
    { chatId: randomInt(1e6, 1e12), extension: null, name: 'Борис' },
    { chatId: randomInt(1e6, 1e12), extension: '151', name: 'Вера' },
  ];
  telegramBase = '';
  deps!: TelegramSyncDeps;
  source: TelegramUpdateSource | null = null;
  private host: WorkerHost | null = null;
  private readonly batching = productionBatching('call-back-test');
  private workerRedis: Redis | null = null;
  private closeSandbox: (() => Promise<void>) | null = null;

  constructor(private readonly parts: { retailcrm?: RetailCrmSandbox } = {}) {}

  async start(): Promise<void> {
    const sandboxHost = new EmulatedHost({ ingestUrl: 'http://127.0.0.1:9', token: 't', callsPerMinute: 0, speed: 1, log: testLogger() });
    const l = await listen(sandboxHandler({ host: sandboxHost, telegram: this.telegram, ami: this.ami, ...(this.parts.retailcrm ? { retailcrm: this.parts.retailcrm } : {}) }));
    this.telegramBase = l.base;
    this.closeSandbox = l.close;
    const port = await this.ami.listen(0);
    await this.db.insertInto('enterprises').values({
      number: this.ent.number, name: this.ent.name, name2: this.ent.token, bot_token: this.botToken,
      integrations_config: JSON.stringify({
        ami: { enabled: true, host: '127.0.0.1', port, username: 'crm', secret: AMI_SECRET },
        // RetailCRM user id -> extension, for click-to-call from the sandbox CRM page.
        retailcrm: { user_extensions: { 19: '150', 18: '151' } },
      }),
    }).execute();
    await this.db.insertInto('telegram_users').values(this.recipients.map((r) => ({
      tg_id: r.chatId, bot_token: this.botToken, enterprise_number: this.ent.number, role: 'full' as const, extension: r.extension,
    }))).execute();
    const redis = createRedis(this.config.redisUrl, 'worker', 'call-back-worker');
    this.workerRedis = redis;
    this.deps = telegramSyncDeps({ redis, prefix: this.config.queuePrefix, apiRoot: this.telegramBase, timeoutMs: 3000, retry: { backoffBaseMs: 50 } });
    const callBack: CallBackDeps = {
      telegram: this.deps,
      amiSettingsOf: async (e) => {
        const row = await this.db.selectFrom('enterprises').select('integrations_config').where('number', '=', e).executeTakeFirst();
        return row ? amiSettingsOf(row.integrations_config as Record<string, Record<string, unknown>>) : null;
      },
      timeouts: { connectMs: this.config.amiConnectTimeoutMs, resultMs: this.config.amiOriginateTimeoutMs },
      defaultTimeZone: 'Europe/Minsk',
    };
    this.host = new WorkerHost(buildProcessors({ fanOut: fanOutSteps(), telegram: this.deps, callBack, eventBatch: this.batching.eventBatch }), {
      connection: redis, prefix: this.config.queuePrefix, concurrency: { events: 4, eventPackets: 2, callLog: 4, telegram: 6, crmDispatch: 1, telegramUpdates: 4 },
      lockMs: 30_000, deps: { db: this.db, log: testLogger(), producers: new Producers(redis, this.config.queuePrefix) },
    });
    this.host.start();
  }

  /** Long polling of the sandbox Telegram (no webhook URL configured), or the webhook to `webhookUrl`. */
  async startUpdates(webhookUrl?: string): Promise<void> {
    await this.source?.stop();
    this.source = new TelegramUpdateSource({
      db: this.db, redis: this.redis, prefix: this.config.queuePrefix, producers: this.producers, log: testLogger(), apiRoot: this.telegramBase,
      pollSeconds: 1, webhook: webhookUrl ? { url: webhookUrl, secret: WEBHOOK_SECRET } : undefined, clientFor: (t, l) => this.deps.clientFor(t, l),
      refreshMs: 60_000,
    });
    await this.source.start();
  }

  /** The events of one emulated call as the ingest would queue them, with this enterprise's token. */
  callEvents(patternId: string, seed: number): { events: EventJob[]; phone: string } {
    const startTime = new Date(Date.now() - 120_000);
    const c = emulatedCall(patternId, { seed, callIndex: randomInt(1000) * 40, startTime, ownParties: true });
    const events = c.call.events.map((e) => newEventJob(e.type as EventType, { ...e.body, Token: this.ent.token }, this.ent.number, 'live', new Date(startTime.getTime() + e.offsetMs)));
    const phone = String((c.call.events.find((e) => typeof e.body.Phone === 'string')?.body as { Phone: string }).Phone);
    return { events, phone };
  }

  async idle(): Promise<boolean> {
    for (const key of ['events', 'callLog', 'telegram', 'telegramUpdates'] as const) {
      const counts = await this.producers.queue(key).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return false;
    }
    return true;
  }

  messages(chatId: number) {
    return this.telegram.state.messages(chatId, this.botId);
  }

  originates() {
    return this.ami.records.filter((r) => r.action.toLowerCase() === 'originate');
  }

  async close(): Promise<void> {
    await this.source?.stop();
    await this.host?.stop(5000);
    this.workerRedis?.disconnect();
    await this.closeSandbox?.();
    await this.ami.close();
    await this.producers.close();
    this.redis.disconnect();
    await this.db.destroy();
    await this.batching.close();
  }
}
