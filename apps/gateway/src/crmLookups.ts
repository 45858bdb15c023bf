/**
 * The gateway's lookups through each enterprise's primary CRM (/customer-name, /customer-profile,
 * /responsible-extension): the shared CRM executor (rate limit, breaker and integration_logs shared
 * with the workers), a hard timeout and a short Redis cache.
 */
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Config } from '@callpipe/config';
import { adapterFor, attemptSink, CrmBreaker, CrmLookups } from '@callpipe/crm';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import type { Producers } from '@callpipe/queues';

export type CrmLookupConfig = Pick<Config, 'queuePrefix' | 'crmLookupTimeoutMs' | 'crmLookupCacheSeconds' | 'crmTimeoutMs'
  | 'crmBreakerFailures' | 'crmBreakerOpenMs' | 'crmBreakerMaxOpenMs'>;

export function gatewayCrmLookups(c: CrmLookupConfig, redis: Redis, db: Kysely<Database>, producers: Producers, log: Logger): CrmLookups {
  const breaker = new CrmBreaker(redis, c.queuePrefix, {
    failureThreshold: c.crmBreakerFailures, openMs: c.crmBreakerOpenMs, maxOpenMs: c.crmBreakerMaxOpenMs, probeLeaseMs: c.crmTimeoutMs * 2 + 1000,
  });
  return new CrmLookups({
    redis, prefix: c.queuePrefix, log, adapterFor,
    timeoutMs: c.crmLookupTimeoutMs, cacheSeconds: c.crmLookupCacheSeconds,
    // A lookup does not wait for the rate limiter: a request over the limit falls back at once.
    http: { redis, prefix: c.queuePrefix, breaker, sink: attemptSink(db, producers), timeoutMs: Math.min(c.crmTimeoutMs, c.crmLookupTimeoutMs), limiterMaxWaitMs: 0 },
  });
}
