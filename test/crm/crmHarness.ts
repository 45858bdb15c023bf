/**
 * The CRM half of the pipeline in-process for the CRM tests: call-log → after-entry steps →
 * crm-dispatch on real Redis and PostgreSQL, talking to the sandbox RetailCRM (served here on port 0).
 * Time is scaled through the CRM_* settings (backoff, breaker, history delay). Each scenario is one
 * enterprise (its own RetailCRM account) with every extension its calls use mapped to a user.
 */
import { randomInt } from 'node:crypto';
import express from 'express';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { callFacts, DEFAULT_TIME_ZONE, type CallFacts } from '@callpipe/call-facts';
import { createConfigCache, type ConfigCache } from '@callpipe/config-cache';
import { createDb, createPool, type Database } from '@callpipe/db';
import { createRedis, MisconfigRegistry, Producers, QUEUE_KEYS, type CallLogEventEntry, type QueueKey } from '@callpipe/queues';
import { RetailCrmSandbox, retailCrmAdminRoutes, retailCrmApiRoutes } from '../../apps/sandbox/src/crm/retailcrm/index.js';
import { crmDispatchDeps, type CrmDispatchDeps, type CrmDispatchSettings } from '../../apps/workers/src/crm/deps.js';
import { afterEntrySteps } from '../../apps/workers/src/fanOut/afterEntry.js';
import { fanOutSteps } from '../../apps/workers/src/fanOut/index.js';
import { createOutages } from '../../apps/workers/src/outages.js';
import { buildProcessors } from '../../apps/workers/src/processors/registry.js';
import { telegramSyncDeps } from '../../apps/workers/src/telegram/deps.js';
import { WorkerHost } from '../../apps/workers/src/workerHost.js';
import { emulatedCall, type EmulatedCall } from '../callLog/emulatedCalls.js';
import { listen } from '../support/listen.js';
import { testConfig, testLogger, uniqueEnterprise, productionBatching } from '../support/testEnv.js';

export const config = testConfig();

/** CRM settings with time scaled down: retries in tens of ms, a breaker open for half a second. */
export const FAST: CrmDispatchSettings = {
  crmTimeoutMs: 1500, crmBackoffBaseMs: 50, crmBreakerFailures: 5, crmBreakerOpenMs: 500, crmBreakerMaxOpenMs: 2000,
  crmLimiterMaxWaitMs: 500, crmHistoryDelayMs: 300, crmPopupWaitMs: 2000,
};

export interface CallCase {
  pattern: string;
  call: EmulatedCall;
  /** Final facts of each record the call makes. */
  records: CallFacts[];
}

export interface Scenario {
  enterprise: string;
  /** The host Token (enterprises.name2). */
  token: string;
  account: string;
  apiKey: string;
  calls: CallCase[];
  /** Extension → RetailCRM user id, as put in user_extensions. */
  users: Map<string, number>;
  jobs: CallLogEventEntry[];
}

const recordFacts = (c: EmulatedCall): CallFacts[] => c.records.map((r) => callFacts(r.events, { timeZone: DEFAULT_TIME_ZONE })!).filter(Boolean);

/** Every extension a call's requests may name. */
function extensionsOf(f: CallFacts): string[] {
  return [...f.rung, ...f.talked, ...f.servedBy, f.manager, f.caller, ...f.callees].filter((x): x is string => !!x);
}

export class CrmHarness {
  readonly db: Kysely<Database>;
  readonly redis: Redis;
  readonly producers: Producers;
  readonly sandbox = new RetailCrmSandbox();
  readonly misconfig: MisconfigRegistry;
  base = '';
  private closeServer: (() => Promise<void>) | null = null;
  private hosts: { host: WorkerHost; redis: Redis; cache: ConfigCache; cacheRedis: Redis }[] = [];
  private readonly log = testLogger('crm-test');
  private readonly batching = productionBatching('crm-test');

  constructor(readonly settings: CrmDispatchSettings = FAST) {
    this.db = createDb(createPool({ connectionString: config.databaseUrl, max: 12, applicationName: 'crm-test' }));
    this.redis = createRedis(config.redisUrl, 'worker', 'crm-test');
    this.producers = new Producers(this.redis, config.queuePrefix);
    this.misconfig = new MisconfigRegistry(this.redis, config.queuePrefix);
  }

  async startSandbox(): Promise<void> {
    const app = express();
    app.use(retailCrmApiRoutes(this.sandbox));
    app.use(retailCrmAdminRoutes(this.sandbox));
    const l = await listen(app);
    this.base = l.base;
    this.closeServer = l.close;
  }

  /** One enterprise with RetailCRM enabled, pointed at its own sandbox account, for these calls. */
  async scenario(patterns: readonly string[], o: { spacingMs?: number; startAt?: number; seed?: number } = {}): Promise<Scenario> {
    const ent = uniqueEnterprise();
    const account = `acc${ent.number}`;
    const apiKey = `key-${randomInt(1e12)}`;
    const start = o.startAt ?? Date.now() - 3 * 3600_000;
    // One random base, then one index per call: the parties (extensions, phones) follow the index, so two
    // calls of a scenario must never share one. A random base per call made calls i and i + 100 collide
    // whenever their draws differed by one: two calls of the same parties at the same instant, which the
    // ring link rightly took for one (test/crm/batching.test.ts then counted 119 of 120 uploads).
    const base = randomInt(600) * 100;
    const calls: CallCase[] = patterns.map((pattern, i) => {
      const call = emulatedCall(pattern, { seed: (o.seed ?? 7) + i, callIndex: base + i, startTime: new Date(start + i * (o.spacingMs ?? 600_000)), ownParties: true });
      return { pattern, call, records: recordFacts(call) };
    });
    const users = new Map<string, number>();
    for (const c of calls) for (const f of c.records) for (const ext of extensionsOf(f)) if (!users.has(ext)) users.set(ext, 100 + users.size);
    this.sandbox.setup({
      name: account, apiKey,
      users: [...users].map(([code, id]) => ({ id, firstName: `M${code}`, lastName: 'Manager', code })),
    });
    const userExtensions = Object.fromEntries([...users].map(([ext, id]) => [String(id), ext]));
    await this.db.insertInto('enterprises').values({
      number: ent.number, name: ent.name, name2: ent.token,
      integrations_config: JSON.stringify({ retailcrm: { enabled: true, domain: `${this.base}/retailcrm/${account}`, api_key: apiKey, user_extensions: userExtensions } }),
    }).execute();
    const jobs = calls.flatMap((c) => c.call.jobs(ent.number));
    return { enterprise: ent.number, token: ent.token, account, apiKey, calls, users, jobs };
  }

  /** `count` workers processes (each its own connections and config cache). */
  async startWorkers(count = 1, o: { lockMs?: number; concurrency?: Partial<Record<QueueKey, number>> } = {}): Promise<CrmDispatchDeps[]> {
    const out: CrmDispatchDeps[] = [];
    for (let i = 0; i < count; i += 1) {
      const redis = createRedis(config.redisUrl, 'worker', `crm-test-${i}`);
      const cacheRedis = createRedis(config.redisUrl, 'fail-fast', `crm-test-cache-${i}`);
      cacheRedis.on('error', () => undefined);
      const producers = new Producers(redis, config.queuePrefix);
      const cache = createConfigCache({
        redis: cacheRedis, db: this.db, databaseUrl: config.databaseUrl, prefix: config.queuePrefix, log: this.log,
        ttlSeconds: 60, refreshSeconds: 240, refreshJitterSeconds: 60, cleanupSeconds: 30,
      });
      const crm = crmDispatchDeps(this.settings, { redis, prefix: config.queuePrefix, cache, db: this.db, producers, misconfig: new MisconfigRegistry(redis, config.queuePrefix) });
      const telegram = telegramSyncDeps({ redis, prefix: config.queuePrefix, apiRoot: 'http://127.0.0.1:9', timeoutMs: 1000 });
      const table = buildProcessors({ fanOut: fanOutSteps(), telegram, callLog: { defaultTimeZone: DEFAULT_TIME_ZONE, steps: afterEntrySteps({ crm }) }, crm, eventBatch: this.batching.eventBatch });
      const host = new WorkerHost(table, {
        connection: redis, prefix: config.queuePrefix, lockMs: o.lockMs ?? 30_000,
        concurrency: { ...Object.fromEntries(QUEUE_KEYS.map((k) => [k, 2])) as Record<QueueKey, number>, events: 4, callLog: 4, crmDispatch: 16, ...o.concurrency },
        deps: { db: this.db, log: this.log, producers }, outages: createOutages(this.log, 60_000),
      });
      host.start();
      this.hosts.push({ host, redis, cache, cacheRedis });
      out.push(crm);
    }
    return out;
  }

  /** Stops the workers; with `killAfterMs` 0 in-flight jobs are abandoned, as a killed process leaves them. */
  async stopWorkers(graceMs = 10_000): Promise<void> {
    for (const h of this.hosts) {
      await h.host.stop(graceMs);
      await h.cache.stop();
      h.redis.disconnect();
      h.cacheRedis.disconnect();
    }
    this.hosts = [];
  }

  async feed(jobs: readonly CallLogEventEntry[]): Promise<void> {
    for (const j of jobs) await this.producers.add('callLog', j.eventType, j);
  }

  /** No job of the CRM path waiting, running or delayed. */
  async idle(): Promise<boolean> {
    for (const key of ['events', 'callLog', 'crmDispatch'] as const) {
      const counts = await this.producers.queue(key).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return false;
    }
    return true;
  }

  /** Waits until idle twice in a row (a delayed history job may be added by the last call-log job). */
  async settle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (Date.now() < deadline) {
      quiet = (await this.idle()) ? quiet + 1 : 0;
      if (quiet >= 3) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    const counts = await Promise.all((['callLog', 'crmDispatch'] as const).map(async (k) => [k, await this.producers.queue(k).getJobCounts()]));
    throw new Error(`CRM pipeline not idle after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
  }

  async close(): Promise<void> {
    await this.stopWorkers();
    await this.producers.close();
    this.redis.disconnect();
    await this.db.destroy();
    await this.batching.close();
    await this.closeServer?.();
  }
}
