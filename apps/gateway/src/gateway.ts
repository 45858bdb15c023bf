/** Wires the gateway: health, Bull Board; later the 8020 API, traces and admin UI hang off the same app. */
import express, { type Express } from 'express';
import { Queue } from 'bullmq';
import type { Config } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import { collectQueueDepths, writeMetrics } from '@callpipe/metrics';
import { createRedis, Producers, queues, QUEUE_KEYS } from '@callpipe/queues';
import { createConfigCache, Lookups, type ConfigCache } from '@callpipe/config-cache';
import { basicAuth } from './admin/basicAuth.js';
import { BULL_BOARD_PATH, bullBoardRouter } from './admin/bullBoard.js';
import { healthRoutes } from './health.js';
import { apiRouter } from './api/index.js';
import { callerAuth } from './auth/index.js';
import { logRoutes } from './logRoutes/routes.js';
import { telegramRoutes } from './telegramRoutes/routes.js';
import { traceApiRoutes } from './trace/apiRoutes.js';
import { TRACE_PAGE_PATH } from './trace/pageHtml.js';
import { tracePageRoutes } from './trace/pageRoutes.js';

export type GatewayConfig = Pick<Config, 'redisUrl' | 'databaseUrl' | 'dbPoolMax' | 'queuePrefix' | 'adminUser' | 'adminPassword'
  | 'gatewayApiToken' | 'configCacheTtlSeconds' | 'configRefreshSeconds' | 'configRefreshJitterSeconds' | 'configCleanupSeconds'
  | 'lookupCacheTtlSeconds' | 'dedupWindowSeconds'>;

export interface Gateway {
  app: Express;
  /** The shared integration config cache (the 8020 API reads it). */
  cache: ConfigCache;
  /** Starts the cache's LISTEN, first full load and timers; the API also works before (it loads on demand). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createGateway(config: GatewayConfig, log: Logger): Gateway {
  const redis = createRedis(config.redisUrl, 'producer', 'gateway');
  redis.on('error', (err) => log.debug({ err }, 'redis connection error'));
  const pool = createPool({ connectionString: config.databaseUrl, max: config.dbPoolMax, applicationName: 'gateway' });
  pool.on('error', (err) => log.warn({ err }, 'postgresql pool error'));
  const db = createDb(pool);
  const queueList = QUEUE_KEYS.map((k) => new Queue(queues[k].name, { connection: redis, prefix: config.queuePrefix }));
  // The cache's own fail-fast connection: while Redis is down, lookups go straight to PostgreSQL.
  const cacheRedis = createRedis(config.redisUrl, 'fail-fast', 'gateway-cache');
  cacheRedis.on('error', (err) => log.debug({ err }, 'config cache redis connection error'));
  const cache = createConfigCache({
    redis: cacheRedis, db, databaseUrl: config.databaseUrl, prefix: config.queuePrefix, log,
    ttlSeconds: config.configCacheTtlSeconds, refreshSeconds: config.configRefreshSeconds,
    refreshJitterSeconds: config.configRefreshJitterSeconds, cleanupSeconds: config.configCleanupSeconds,
  });
  const lookups = new Lookups(db, config.lookupCacheTtlSeconds * 1000);
  const producers = new Producers(redis, config.queuePrefix);

  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(redis, db, queueList));
  app.get('/metrics', (req, res) => void writeMetrics(req, res, () => collectQueueDepths(queueList)));
  app.use(apiRouter({ cache, lookups, producers, log, apiToken: config.gatewayApiToken, dedupWindowMs: config.dedupWindowSeconds * 1000 }));
  app.use(BULL_BOARD_PATH, basicAuth(config.adminUser, config.adminPassword), bullBoardRouter(queueList));
  // The call log: reads and the old /log/* writes for the project's processes (loopback or bearer), the page for operators (admin login).
  app.use(traceApiRoutes(db, log, callerAuth(config.gatewayApiToken)));
  app.use(logRoutes(producers, log, callerAuth(config.gatewayApiToken)));
  // The old Telegram message map (POST /telegram/message, GET/DELETE /telegram/last-message), shared with the telegram workers.
  app.use(telegramRoutes(redis, config.queuePrefix, log, callerAuth(config.gatewayApiToken)));
  app.use(TRACE_PAGE_PATH, basicAuth(config.adminUser, config.adminPassword), tracePageRoutes(db, log));
  if (!config.adminUser || !config.adminPassword) log.warn('ADMIN_USER/ADMIN_PASSWORD not set: Bull Board is refused');

  return {
    app,
    cache,
    async start() {
      await cache.start();
    },
    async stop() {
      await cache.stop();
      lookups.stop();
      await producers.close();
      cacheRedis.disconnect();
      await Promise.all(queueList.map((q) => q.close()));
      await db.destroy();
      redis.disconnect();
    },
  };
}
