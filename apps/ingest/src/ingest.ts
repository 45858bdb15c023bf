/** Wires the ingest: Redis (fail-fast), queue, spool, drainer, token cache, HTTP routes. */
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '@callpipe/config';
import { Outage, type Logger } from '@callpipe/logging';
import { writeMetrics } from '@callpipe/metrics';
import { createRedis, Producers, TokenStore, watchRedis } from '@callpipe/queues';
import { DurableEnqueue } from './enqueue/durableEnqueue.js';
import { PacketWrite } from './enqueue/packetWrite.js';
import { jsonBody } from './routes/jsonBody.js';
import { eventRoutes } from './routes/events.js';
import { errorHandler, notFound } from './routes/finalHandlers.js';
import { SpoolDrainer } from './spool/drainer.js';
import { Spool } from './spool/spool.js';
import { TokenCache } from './tokens/tokenCache.js';

export type IngestConfig = Pick<Config,
  'redisUrl' | 'queuePrefix' | 'ingestBodyLimitBytes' | 'ingestAckTimeoutMs' | 'ingestSpoolDir' |
  'ingestBatchMax' | 'ingestLingerMs' | 'ingestPacketMin' | 'dedupWindowSeconds' | 'tokenRefreshSeconds' | 'outageReminderSeconds'>;

export interface Ingest {
  app: Express;
  start(): Promise<void>;
  stop(): Promise<void>;
  enqueue: DurableEnqueue;
  drainer: SpoolDrainer;
  tokens: TokenCache;
}

/** Gives Redis a moment at start; if it is down, ingest starts all the same and spools. */
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
  // One line when Redis goes (events then go to the disk spool), reminders while it stays down, one when it is back.
  const redisOutage = new Outage('redis', log, { remindEveryMs: config.outageReminderSeconds * 1000 });
  watchRedis(redis, redisOutage);
  subscriber.on('error', (err) => log.debug({ err }, 'redis subscriber error'));

  // The queues' own errors are the connection's, which the outage above reports.
  const producers = new Producers(redis, config.queuePrefix);
  const queue = producers.queue('events');
  const packets = producers.queue('eventPackets');
  const spool = new Spool(config.ingestSpoolDir);
  const dedupWindowMs = config.dedupWindowSeconds * 1000;
  const enqueue = new DurableEnqueue({
    queue, redis, spool, log, dedupWindowMs,
    ackTimeoutMs: config.ingestAckTimeoutMs, batchMax: config.ingestBatchMax, lingerMs: config.ingestLingerMs,
    packets: { write: new PacketWrite({ redis, events: queue, packets, dedupWindowMs, log }), packetMin: config.ingestPacketMin },
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
      // What is down, by name (empty when all is well): the outage's start and latest error.
      down: redisOk ? {} : { redis: redisOutage.state() },
      spool: { dir: spool.dir, writable: s.lastError === null, lastError: s.lastError, openEvents: s.openEvents, sealedSegments: spoolSegments },
      tokens: { loaded: tokens.isLoaded(), source: tokens.origin(), count: tokens.size() },
      counters: { ...enqueue.counters, replayed: drainer.counters.replayed },
    });
  });
  app.get('/metrics', (req, res) => void writeMetrics(req, res));
  app.use(jsonBody(config.ingestBodyLimitBytes));
  app.use(eventRoutes({ enqueue, tokens, log }));
  app.use(notFound);
  app.use(errorHandler(log));

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
      await producers.close().catch(() => undefined);
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}
