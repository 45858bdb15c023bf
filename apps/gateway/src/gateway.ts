/** Wires the gateway: health, Bull Board; later the 8020 API, traces and admin UI hang off the same app. */
import express, { type Express } from 'express';
import { Queue } from 'bullmq';
import type { Config } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import { Outage, type Logger } from '@callpipe/logging';
import { collectQueueDepths, writeMetrics } from '@callpipe/metrics';
import { createRedis, MisconfigRegistry, Producers, queues, QUEUE_KEYS, readyWithin, watchRedis } from '@callpipe/queues';
import { createConfigCache, Lookups, type ConfigCache } from '@callpipe/config-cache';
import { basicAuth } from './admin/basicAuth.js';
import { BULL_BOARD_PATH, bullBoardRouter } from './admin/bullBoard.js';
import { healthRoutes } from './health.js';
import { breakerLister, collectBreakers } from './crmBreakers.js';
import { gatewayCrmLookups, type CrmLookupConfig } from './crmLookups.js';
import { misconfiguredLister } from './misconfigured.js';
import { errorHandler, notFound } from './http/finalHandlers.js';
import { apiRouter } from './api/index.js';
import { retailCrmTelephonyRoutes } from './clickToCall/routes.js';
import { callerAuth } from './auth/index.js';
import { logRoutes } from './logRoutes/routes.js';
import { telegramRoutes } from './telegramRoutes/routes.js';
import { telegramWebhookRoutes } from './telegramWebhook/routes.js';
import { traceApiRoutes } from './trace/apiRoutes.js';
import { TRACE_PAGE_PATH } from './trace/pageHtml.js';
import { tracePageRoutes } from './trace/pageRoutes.js';
import { RETAILCRM_ADMIN_PATH, retailcrmAdmin, type RetailcrmAdminConfig } from './retailcrmAdmin/index.js';

export type GatewayConfig = Pick<Config, 'redisUrl' | 'databaseUrl' | 'dbPoolMax' | 'queuePrefix' | 'adminUser' | 'adminPassword'
  | 'gatewayApiToken' | 'configCacheTtlSeconds' | 'configRefreshSeconds' | 'configRefreshJitterSeconds' | 'configCleanupSeconds'
  | 'lookupCacheTtlSeconds' | 'dedupWindowSeconds' | 'outageReminderSeconds' | 'amiConnectTimeoutMs' | 'amiOriginateTimeoutMs'
  | 'telegramWebhookSecret'> & CrmLookupConfig & RetailcrmAdminConfig;

export interface Gateway {
  app: Express;
  /** The shared integration config cache (the 8020 API reads it). */
  cache: ConfigCache;
  /** Starts the cache's LISTEN, first full load and timers; the API also works before (it loads on demand). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createGateway(config: GatewayConfig, log: Logger): Gateway {
  // A dependency going away is an outage (logged once, reminded, ended), never a crash or a line per request.
  const remindEveryMs = config.outageReminderSeconds * 1000;
  const outages = { redis: new Outage('redis', log, { remindEveryMs }), postgresql: new Outage('postgresql', log, { remindEveryMs }) };
  const redis = createRedis(config.redisUrl, 'producer', 'gateway');
  watchRedis(redis, outages.redis);
  const pool = createPool({
    connectionString: config.databaseUrl, max: config.dbPoolMax, applicationName: 'gateway',
    onConnectionError: (err) => outages.postgresql.down(err), onConnect: () => outages.postgresql.up(),
  });
  const db = createDb(pool);
  const queueList = QUEUE_KEYS.map((k) => new Queue(queues[k].name, { connection: redis, prefix: config.queuePrefix }));
  // Their connection's errors are the Redis outage already logged; unheard, BullMQ prints each with its stack.
  for (const q of queueList) q.on('error', () => undefined);
  // The cache's own fail-fast connection: while Redis is down, lookups go straight to PostgreSQL.
  const cacheRedis = createRedis(config.redisUrl, 'fail-fast', 'gateway-cache');
  cacheRedis.on('error', (err) => log.debug({ err }, 'config cache redis connection error'));
  const cache = createConfigCache({
    redis: cacheRedis, db, databaseUrl: config.databaseUrl, prefix: config.queuePrefix, log,
    ttlSeconds: config.configCacheTtlSeconds, refreshSeconds: config.configRefreshSeconds,
    refreshJitterSeconds: config.configRefreshJitterSeconds, cleanupSeconds: config.configCleanupSeconds,
    pgOutage: outages.postgresql,
  });
  const lookups = new Lookups(db, config.lookupCacheTtlSeconds * 1000);
  const producers = new Producers(redis, config.queuePrefix);
  // Read on the fail-fast connection: /health and /stats must not wait on a Redis that is down.
  const listMisconfigured = misconfiguredLister(new MisconfigRegistry(cacheRedis, config.queuePrefix), cache);

  const app = express();
  app.disable('x-powered-by');
  // The workers keep the CRM breakers in Redis; the gateway reads them on its fail-fast connection.
  const listBreakers = breakerLister(cacheRedis, config.queuePrefix);
  app.use(healthRoutes(redis, db, queueList, listMisconfigured, outages, listBreakers));
  app.get('/metrics', (req, res) => void writeMetrics(req, res, async () => { await Promise.all([collectQueueDepths(queueList), collectBreakers(listBreakers)]); }));
  app.use(apiRouter({ cache, lookups, producers, log, apiToken: config.gatewayApiToken, dedupWindowMs: config.dedupWindowSeconds * 1000, listMisconfigured, listBreakers, crmLookups: gatewayCrmLookups(config, redis, db, producers, log) }));
  app.use(BULL_BOARD_PATH, basicAuth(config.adminUser, config.adminPassword), bullBoardRouter(queueList));
  // The call log: reads and the old /log/* writes for the project's processes (loopback or bearer), the page for operators (admin login).
  app.use(traceApiRoutes(db, log, callerAuth(config.gatewayApiToken)));
  app.use(logRoutes(producers, log, callerAuth(config.gatewayApiToken)));
  // Telegram's webhook (button presses: the missed call's call-back), public and checked by its secret token.
  app.use(telegramWebhookRoutes(config.telegramWebhookSecret, producers, log));
  // The old Telegram message map (POST /telegram/message, GET/DELETE /telegram/last-message), shared with the telegram workers.
  app.use(telegramRoutes(redis, config.queuePrefix, log, callerAuth(config.gatewayApiToken)));
  app.use(TRACE_PAGE_PATH, basicAuth(config.adminUser, config.adminPassword), tracePageRoutes(db, log));
  // What RetailCRM calls: click-to-call (originated over the enterprise's AMI) and managers' statuses.
  app.use(retailCrmTelephonyRoutes({
    cache, db, producers, redis: cacheRedis, prefix: config.queuePrefix, log,
    timeouts: { connectMs: config.amiConnectTimeoutMs, resultMs: config.amiOriginateTimeoutMs },
  }));
  // The RetailCRM admin UI: opened from RetailCRM by its signed accountUrl link, or by an operator (admin login).
  app.use(RETAILCRM_ADMIN_PATH, retailcrmAdmin(config, { db, redis, cache, log }));
  // Last: JSON for any path no route serves and any error no router answered (never an HTML stack).
  app.use(notFound);
  app.use(errorHandler(app, log));
  if (!config.adminUser || !config.adminPassword) log.warn('ADMIN_USER/ADMIN_PASSWORD not set: Bull Board is refused');

  return {
    app,
    cache,
    async start() {
      // The fail-fast connection refuses commands until connected: give it a moment so the first
      // load fills the Redis tier instead of reporting it unavailable.
      await readyWithin(cacheRedis, 3000);
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
