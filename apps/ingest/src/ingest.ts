/** Wires the ingest: Redis (fail-fast), queue, spool, drainer, token cache, HTTP routes. */
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import type { Config } from '@callpipe/config';
import type { Logger } from '@callpipe/logging';
import { writeMetrics } from '@callpipe/metrics';
import { createRedis, queues, TokenStore, type EventJob } from '@callpipe/queues';
import { DurableEnqueue } from './enqueue/durableEnqueue.js';
import { jsonBody } from './routes/jsonBody.js';
import { eventRoutes } from './routes/events.js';
import { SpoolDrainer } from './spool/drainer.js';
import { Spool } from './spool/spool.js';
import { TokenCache } from './tokens/tokenCache.js';

export type IngestConfig = Pick<Config,
  'redisUrl' | 'queuePrefix' | 'ingestBodyLimitBytes' | 'ingestAckTimeoutMs' | 'ingestSpoolDir' |
  'ingestBatchMax' | 'dedupWindowSeconds' | 'tokenRefreshSeconds'>;

export interface Ingest {
  app: Express;
  start(): Promise<void>;
  stop(): Promise<void>;
  enqueue: DurableEnqueue;
  drainer: SpoolDrainer;
  tokens: TokenCache;
}

/** Gives Redis a moment at start; if it is down, ingest starts anyway and spools. */
function waitUntilReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); redis.off('ready', done); resolve(); };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
  });
}

export function createIngest(config: IngestConfig, log: Logger): Ingest {
  const redis = createRedis(config.redisUrl, 'fail-fast', 'ingest');
  const subscriber = createRedis(config.redisUrl, 'worker', 'ingest-sub');
  redis.on('error', (err) => log.debug({ err }, 'redis connection error'));
  subscriber.on('error', (err) => log.debug({ err }, 'redis subscriber error'));
  let wasReady = false;
  redis.on('ready', () => { if (wasReady) log.info('redis is back'); wasReady = true; });
  redis.on('close', () => { if (wasReady) log.warn('redis connection lost; events go to the disk spool'); });

  const def = queues.events;
  const queue = new Queue<EventJob>(def.name, { connection: redis, prefix: config.queuePrefix, defaultJobOptions: def.jobOptions });
  queue.on('error', (err) => log.debug({ err }, 'queue error'));
  const spool = new Spool(config.ingestSpoolDir);
  const dedupWindowMs = config.dedupWindowSeconds * 1000;
  const enqueue = new DurableEnqueue({
    queue, redis, spool, log, dedupWindowMs,
    ackTimeoutMs: config.ingestAckTimeoutMs, batchMax: config.ingestBatchMax,
  });
  const drainer = new SpoolDrainer({ spool, queue, log, dedupWindowMs, isRedisReady: () => enqueue.redisReady() });
  const tokens = new TokenCache(new TokenStore(redis, config.queuePrefix), subscriber, log, config.tokenRefreshSeconds * 1000, config.ingestSpoolDir);

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.get('/health', async (_req, res) => {
    let spoolSegments = 0;
    try {
      spoolSegments = (await spool.sealedSegments()).length;
    } catch { /* reported through spool.lastError below */ }
    const s = spool.status();
    const redisOk = enqueue.redisReady();
    const canAccept = redisOk || s.lastError === null;
    res.status(canAccept && tokens.isLoaded() ? 200 : 503).json({
      status: redisOk && s.lastError === null ? 'ok' : canAccept ? 'degraded' : 'down',
      redis: redis.status,
      spool: { dir: spool.dir, writable: s.lastError === null, lastError: s.lastError, openEvents: s.openEvents, sealedSegments: spoolSegments },
      tokens: { loaded: tokens.isLoaded(), count: tokens.size() },
      counters: { ...enqueue.counters, replayed: drainer.counters.replayed },
    });
  });
  app.get('/metrics', (req, res) => void writeMetrics(req, res));
  app.use(jsonBody(config.ingestBodyLimitBytes));
  app.use(eventRoutes({ enqueue, tokens, log }));

  return {
    app, enqueue, drainer, tokens,
    async start() {
      await spool.open();
      await waitUntilReady(redis, 3000);
      await tokens.start();
      drainer.start();
    },
    async stop() {
      tokens.stop();
      await drainer.stop();
      await spool.close();
      await queue.close().catch(() => undefined);
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}
