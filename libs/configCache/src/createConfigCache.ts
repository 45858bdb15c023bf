/** The usual wiring of a process's config cache: PostgreSQL source, LISTEN, NOTIFY on invalidate. */
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import { ConfigCache } from './configCache.js';
import { pgAnnounce, pgEnterpriseSource } from './enterpriseSource.js';

export interface ConfigCacheSettings {
  /** A fail-fast connection (createRedis(url, 'fail-fast', …)): lookups fall back to PostgreSQL. */
  redis: Redis;
  db: Kysely<Database>;
  databaseUrl: string;
  prefix: string;
  log: Logger;
  ttlSeconds: number;
  refreshSeconds: number;
  refreshJitterSeconds: number;
  cleanupSeconds: number;
  /** The process's PostgreSQL outage log (libs/logging Outage). */
  pgOutage?: { down(err: unknown): void };
}

export function createConfigCache(s: ConfigCacheSettings): ConfigCache {
  return new ConfigCache({
    redis: s.redis, prefix: s.prefix, log: s.log,
    source: pgEnterpriseSource(s.db), announce: pgAnnounce(s.db), listenUrl: s.databaseUrl,
    ttlMs: s.ttlSeconds * 1000, refreshMs: s.refreshSeconds * 1000,
    refreshJitterMs: s.refreshJitterSeconds * 1000, cleanupMs: s.cleanupSeconds * 1000, pgOutage: s.pgOutage,
  });
}
