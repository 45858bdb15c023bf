/** apps/workers: one BullMQ processor per queue; all database writes and third-party calls happen here. */
import { loadConfig } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import { createLogger } from '@callpipe/logging';
import { enableDefaultMetrics } from '@callpipe/metrics';
import { createRedis, MisconfigRegistry, Producers, readyWithin, TokenStore, watchRedis } from '@callpipe/queues';
import { createConfigCache } from '@callpipe/config-cache';
import { checkProcessors, waitForDependencies } from './bootChecks.js';
import { queueConcurrency } from './concurrency.js';
import { fanOutSteps } from './fanOut/index.js';
import { startHealthServer, type WorkersPhase } from './healthServer.js';
import { createOutages, reportDependencyError } from './outages.js';
import { CallLogPartitions } from './callLog/partitions.js';
import { buildProcessors } from './processors/registry.js';
import { crmCustomerNames, crmDispatchDeps } from './crm/deps.js';
import { afterEntrySteps } from './fanOut/afterEntry.js';
import { RecipientsCache } from './telegram/recipients.js';
import { BotTokenAudit } from './setup/botTokenAudit.js';
import { telegramSyncDeps } from './telegram/deps.js';
import { TokenSync } from './tokens/tokenSync.js';
import { callBackDeps } from './telegram/callBack/wiring.js';
import { smartRedirectDeps } from './smartRedirect/wiring.js';
import { TelegramUpdateSource } from './telegram/updates/updateSource.js';
import { WorkerHost } from './workerHost.js';

const config = loadConfig();
const log = createLogger('workers', config.logLevel);
// A dependency going away is an outage (logged once, reminded, ended), never a crash or a line per job.
const outages = createOutages(log, config.outageReminderSeconds * 1000);
const redis = createRedis(config.redisUrl, 'worker', 'workers');
watchRedis(redis, outages.redis);
const pool = createPool({
  connectionString: config.databaseUrl, max: config.dbPoolMax, applicationName: 'workers',
  onConnectionError: (err) => outages.postgresql.down(err), onConnect: () => outages.postgresql.up(),
});
const db = createDb(pool);
// The event batches' own connections (EVENTS_BATCH_IN_FLIGHT): in the shared pool they queued behind
// the after-entry steps' and the Telegram syncs' queries, and ack → record p99 reached seconds.
const batchDb = config.eventsBatchMax > 1 ? createDb(createPool({
  connectionString: config.databaseUrl, max: config.eventsBatchInFlight, applicationName: 'workers-batches',
  onConnectionError: (err) => outages.postgresql.down(err), onConnect: () => outages.postgresql.up(),
})) : undefined;

enableDefaultMetrics('workers');
const producers = new Producers(redis, config.queuePrefix);
// Faults retries cannot fix (a malformed bot token), listed by the gateway's /health and /stats.
const misconfig = new MisconfigRegistry(redis, config.queuePrefix);
// CRMs read enabled integrations from the shared config cache (its own fail-fast connection: PostgreSQL when Redis is down).
const cacheRedis = createRedis(config.redisUrl, 'fail-fast', 'workers-config');
cacheRedis.on('error', () => undefined);
const configCache = createConfigCache({
  redis: cacheRedis, db, databaseUrl: config.databaseUrl, prefix: config.queuePrefix, log,
  ttlSeconds: config.configCacheTtlSeconds, refreshSeconds: config.configRefreshSeconds,
  refreshJitterSeconds: config.configRefreshJitterSeconds, cleanupSeconds: config.configCleanupSeconds,
  pgOutage: outages.postgresql,
});
const crm = crmDispatchDeps(config, { redis, prefix: config.queuePrefix, cache: configCache, db, producers, misconfig });
// The syncs' locks, chat state and send slots on a connection of their own that auto-pipelines: a
// sync's chats ask for their slots in the same turn of the event loop, and share one write (issue 12).
// Its outages are the main connection's (reported there once).
const syncRedis = createRedis(config.redisUrl, 'pipelined', 'workers-telegram');
syncRedis.on('error', () => undefined);
// Each enterprise's Telegram recipients, kept until telegram_users or enterprises change (it listens once started).
const recipients = new RecipientsCache();
const telegram = telegramSyncDeps({
  redis: syncRedis, log, misconfig, prefix: config.queuePrefix, apiRoot: config.telegramApiBase, timeoutMs: config.telegramTimeoutMs,
  slotWaitMs: config.telegramSlotWaitMs, recipients,
  crmCustomerName: crmCustomerNames(crm, config.crmLookupTimeoutMs, config.crmLookupCacheSeconds, log),
  limits: {
    chatIntervalMs: config.telegramChatIntervalMs, chatBurst: config.telegramChatBurst,
    groupPerMinute: config.telegramGroupPerMinute, botPerSecond: config.telegramBotPerSecond,
  },
});
// Smart redirect (events fan-out) and the missed call's call-back from Telegram (telegram-updates).
const smart = smartRedirectDeps(config, crm, configCache, log);
const callBack = callBackDeps(config, telegram, configCache);
const partitions = new CallLogPartitions();
const table = buildProcessors({ partitions, fanOut: fanOutSteps({ smart }), telegram, callLog: { defaultTimeZone: config.pbxTimeZone, steps: afterEntrySteps({ crm, telegramDebounceMs: config.telegramSyncDebounceMs, recipients }) }, crm, callBack,
  eventBatch: { maxBatch: config.eventsBatchMax, maxInFlight: config.eventsBatchInFlight, entryLingerMs: config.callLogEntryLingerMs, eventLingerMs: config.eventsBatchLingerMs, ...(batchDb ? { db: batchDb } : {}) } });
// Button presses: the bots' webhooks (TELEGRAM_WEBHOOK_URL) or long polling.
const updateSource = new TelegramUpdateSource({
  db, redis, prefix: config.queuePrefix, producers, log, apiRoot: config.telegramApiBase, pollSeconds: config.telegramPollSeconds,
  webhook: config.telegramWebhookUrl && config.telegramWebhookSecret ? { url: config.telegramWebhookUrl, secret: config.telegramWebhookSecret } : undefined,
  clientFor: (token, l) => telegram.clientFor(token, l),
});
function refuseToStart(problems: string[]): never {
  for (const p of problems) log.fatal(`cannot start: ${p}`);
  process.exit(1);
}
const problems = checkProcessors(table);
let concurrency: ReturnType<typeof queueConcurrency> | undefined;
try {
  concurrency = queueConcurrency(config);
} catch (err) {
  problems.push((err as Error).message);
}
if (problems.length || !concurrency) refuseToStart(problems);

let phase: WorkersPhase = 'waiting';
let stopping = false;
let tokenSync: TokenSync | undefined;
let botTokenAudit: BotTokenAudit | undefined;
let host: WorkerHost | undefined;
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
const health = await startHealthServer(config.workersMetricsPort, { redis, db, outages, phase: () => phase, log });
// PostgreSQL or Redis down at start is waited out; /health says "starting" and names what is down.
const ready = await waitForDependencies(redis, db, outages, { stopped: () => stopping });
if (!ready.ok && !stopping) refuseToStart([ready.problem]);

if (!stopping) {
  const report = (err: unknown) => reportDependencyError(outages, err);
  tokenSync = new TokenSync(db, new TokenStore(redis, config.queuePrefix), config.databaseUrl, log, config.tokenRefreshSeconds * 1000, report);
  await tokenSync.start();
  await recipients.listen(config.databaseUrl, (err) => { if (!report(err)) log.warn({ err }, 'telegram recipients listener error; reconnecting'); });
  await readyWithin(cacheRedis, 3000);
  await configCache.start();
  botTokenAudit = new BotTokenAudit(db, misconfig, log);
  botTokenAudit.start();
  host = new WorkerHost(table, { connection: redis, prefix: config.queuePrefix, concurrency, lockMs: config.jobLockMs, deps: { db, log, producers }, outages });
  host.start();
  await updateSource.start();
  phase = 'running';
  // Every enterprise's call-log partitions before its first call, not during it (callLog/partitions.ts).
  void partitions.warm(db).then((made) => { if (made > 0) log.info({ made }, 'call-log partitions created for enterprises that had none'); })
    .catch((err: unknown) => { if (!reportDependencyError(outages, err)) log.warn({ err }, 'call-log partitions not warmed; each enterprise gets them at its first event'); });
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  phase = 'stopping';
  log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'workers stopping: finishing in-flight jobs');
  const finished = host ? await host.stop(config.shutdownTimeoutMs) : true;
  if (!finished) log.warn('shutdown timeout reached; unfinished jobs handed back to the queue');
  await tokenSync?.stop();
  await recipients.stop();
  await configCache.stop();
  cacheRedis.disconnect();
  syncRedis.disconnect();
  await botTokenAudit?.stop();
  await updateSource.stop();
  await producers.close();
  health?.close();
  await db.destroy();
  await batchDb?.destroy();
  redis.disconnect();
  log.info('workers stopped');
  process.exit(0);
}
