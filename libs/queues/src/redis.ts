/**
 * Redis connections by role. Workers wait out an outage (BullMQ needs maxRetriesPerRequest: null);
 * an HTTP producer must fail fast instead, so the caller can fall back (ingest spools to disk).
 */
import { Redis, type RedisOptions } from 'ioredis';

/**
 * `pipelined`: a worker's connection for its own small commands (never BullMQ's, which is not known to
 * be safe with it): commands issued in one turn of the event loop share a write and a reply.
 */
export type RedisRole = 'worker' | 'pipelined' | 'producer' | 'fail-fast';

export function createRedis(url: string, role: RedisRole, name: string): Redis {
  const common: RedisOptions = { connectionName: name, lazyConnect: false };
  const byRole: Record<RedisRole, RedisOptions> = {
    worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
    pipelined: { maxRetriesPerRequest: null, enableReadyCheck: true, enableAutoPipelining: true },
    producer: { maxRetriesPerRequest: 3, enableReadyCheck: true },
    'fail-fast': {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    },
  };
  return new Redis(url, { ...common, ...byRole[role] });
}

/** Where a connection reports its outages (libs/logging Outage has this shape). */
export interface OutageSink {
  down(err: unknown): void;
  up(): void;
}

/**
 * Feeds a connection's state to an outage log: errors and reconnect attempts start or extend an
 * outage, 'ready' ends it. A deliberate disconnect schedules no reconnect, so it reports nothing.
 */
export function watchRedis(redis: Redis, outage: OutageSink): void {
  redis.on('error', (err: Error) => outage.down(err));
  redis.on('reconnecting', () => outage.down(new Error('connection lost; reconnecting')));
  redis.on('ready', () => outage.up());
}

/** Resolves once the connection is ready, or after ms whatever its state (a start-up grace, not a requirement). */
export function readyWithin(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => { clearTimeout(timer); redis.off('ready', onReady); resolve(ok); };
    const onReady = done(true);
    const timer = setTimeout(done(false), ms);
    redis.once('ready', onReady);
  });
}
