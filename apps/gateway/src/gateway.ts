/** Wires the gateway: health, Bull Board; later the 8020 API, traces and admin UI hang off the same app. */
import express, { type Express } from 'express';
import { Queue } from 'bullmq';
import type { Config } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import { collectQueueDepths, writeMetrics } from '@callpipe/metrics';
import { createRedis, queues, QUEUE_KEYS } from '@callpipe/queues';
import { basicAuth } from './admin/basicAuth.js';
import { BULL_BOARD_PATH, bullBoardRouter } from './admin/bullBoard.js';
import { healthRoutes } from './health.js';

export type GatewayConfig = Pick<Config, 'redisUrl' | 'databaseUrl' | 'dbPoolMax' | 'queuePrefix' | 'adminUser' | 'adminPassword'>;

export interface Gateway {
  app: Express;
  stop(): Promise<void>;
}

export function createGateway(config: GatewayConfig, log: Logger): Gateway {
  const redis = createRedis(config.redisUrl, 'producer', 'gateway');
  redis.on('error', (err) => log.debug({ err }, 'redis connection error'));
  const pool = createPool({ connectionString: config.databaseUrl, max: config.dbPoolMax, applicationName: 'gateway' });
  pool.on('error', (err) => log.warn({ err }, 'postgresql pool error'));
  const db = createDb(pool);
  const queueList = QUEUE_KEYS.map((k) => new Queue(queues[k].name, { connection: redis, prefix: config.queuePrefix }));

  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(redis, db, queueList));
  app.get('/metrics', (req, res) => void writeMetrics(req, res, () => collectQueueDepths(queueList)));
  app.use(BULL_BOARD_PATH, basicAuth(config.adminUser, config.adminPassword), bullBoardRouter(queueList));
  if (!config.adminUser || !config.adminPassword) log.warn('ADMIN_USER/ADMIN_PASSWORD not set: Bull Board is refused');

  return {
    app,
    async stop() {
      await Promise.all(queueList.map((q) => q.close()));
      await db.destroy();
      redis.disconnect();
    },
  };
}
