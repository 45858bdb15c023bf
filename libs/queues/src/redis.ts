/**
 * Redis connections by role. Workers wait out an outage (BullMQ needs maxRetriesPerRequest: null);
 * an HTTP producer must fail fast instead, so the caller can fall back (ingest spools to disk).
 */
import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'worker' | 'producer' | 'fail-fast';

export function createRedis(url: string, role: RedisRole, name: string): Redis {
  const common: RedisOptions = { connectionName: name, lazyConnect: false };
  const byRole: Record<RedisRole, RedisOptions> = {
    worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
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
