/** apps/workers: one BullMQ processor per queue; all database writes and third-party calls happen here. */
import { loadConfig } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import { createLogger } from '@callpipe/logging';
import { enableDefaultMetrics } from '@callpipe/metrics';
import { createRedis, Producers, TokenStore } from '@callpipe/queues';
import { bootChecks } from './bootChecks.js';
import { fanOutSteps } from './fanOut/index.js';
import { startHealthServer } from './healthServer.js';
import { buildProcessors } from './processors/registry.js';
import { telegramSyncDeps } from './telegram/deps.js';
import { TokenSync } from './tokens/tokenSync.js';
import { WorkerHost } from './workerHost.js';

const config = loadConfig();
const log = createLogger('workers', config.logLevel);
const redis = createRedis(config.redisUrl, 'worker', 'workers');
redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
const pool = createPool({ connectionString: config.databaseUrl, max: config.dbPoolMax, applicationName: 'workers' });
pool.on('error', (err) => log.warn({ err }, 'postgresql pool error'));
const db = createDb(pool);

enableDefaultMetrics('workers');
const producers = new Producers(redis, config.queuePrefix);
const telegram = telegramSyncDeps({
  redis, prefix: config.queuePrefix, apiRoot: config.telegramApiBase, timeoutMs: config.telegramTimeoutMs,
  limits: {
    chatIntervalMs: config.telegramChatIntervalMs, chatBurst: config.telegramChatBurst,
    groupPerMinute: config.telegramGroupPerMinute, botPerSecond: config.telegramBotPerSecond,
  },
});
const table = buildProcessors({ fanOut: fanOutSteps(), telegram });
const problems = await bootChecks(table, redis, db);
if (problems.length) {
  for (const p of problems) log.fatal(`cannot start: ${p}`);
  process.exit(1);
}

const tokenSync = new TokenSync(db, new TokenStore(redis, config.queuePrefix), config.databaseUrl, log, config.tokenRefreshSeconds * 1000);
await tokenSync.start();
const host = new WorkerHost(table, { connection: redis, prefix: config.queuePrefix, concurrency: { events: config.eventsConcurrency, callLog: config.callLogConcurrency, telegram: config.telegramConcurrency }, lockMs: config.jobLockMs, deps: { db, log, producers } });
host.start();
let running = true;
const health = startHealthServer(config.workersMetricsPort, redis, db, () => running);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'workers stopping: finishing in-flight jobs');
  const finished = await host.stop(config.shutdownTimeoutMs);
  running = false;
  if (!finished) log.warn('shutdown timeout reached; unfinished jobs handed back to the queue');
  await tokenSync.stop();
  await producers.close();
  health?.close();
  await db.destroy();
  redis.disconnect();
  log.info('workers stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
