/** What the crm-dispatch processor and the CRM fan-out step share, built once per workers process. */
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { ConfigCache } from '@callpipe/config-cache';
import { adapterFor, attemptSink, CrmBreaker, CrmLookups, type CrmAdapter, type CrmHttpDeps } from '@callpipe/crm';
import type { Logger } from '@callpipe/logging';
import type { Database } from '@callpipe/db';
import { metrics } from '@callpipe/metrics';
import { MisconfigRegistry, type Producers } from '@callpipe/queues';

export interface CrmDispatchDeps {
  redis: Redis;
  prefix: string;
  /** Enabled integrations and their settings (never a query per event). */
  cache: Pick<ConfigCache, 'lookup'>;
  http: CrmHttpDeps;
  misconfig: MisconfigRegistry;
  /** CRM_HISTORY_DELAY_MS */
  historyDelayMs: number;
  /** CRM_BACKOFF_BASE_MS: the jobs' backoff delay. */
  backoffBaseMs: number;
  /** CRM_POPUP_WAIT_MS: how long a popup of an unrooted record waits for its call's opening. */
  popupWaitMs: number;
  /** The state of a crm-dispatch job by id (history waits while its call's close is still queued). */
  jobState: (jobId: string) => Promise<string>;
  /** ttl of the per-call lock (longer than the longest action). */
  lockMs: number;
  /** How long the holder of an account's history batch waits for more calls ending about now before it sends. */
  historyGatherMs: number;
  /** The adapter of an integration type: the registry's (tests may give their own). */
  adapterFor: (type: string) => CrmAdapter | undefined;
}

export interface CrmDispatchSettings {
  crmTimeoutMs: number;
  crmBackoffBaseMs: number;
  crmBreakerFailures: number;
  crmBreakerOpenMs: number;
  crmBreakerMaxOpenMs: number;
  crmLimiterMaxWaitMs: number;
  crmHistoryDelayMs: number;
  /** CRM_POPUP_WAIT_MS (default 2000). */
  crmPopupWaitMs?: number;
}

/** The usual wiring from the config (libs/config: the CRM_* variables). */
export function crmDispatchDeps(
  s: CrmDispatchSettings, o: { redis: Redis; prefix: string; cache: Pick<ConfigCache, 'lookup'>; db: Kysely<Database>; producers: Producers; misconfig?: MisconfigRegistry },
): CrmDispatchDeps {
  const breaker = new CrmBreaker(o.redis, o.prefix, {
    failureThreshold: s.crmBreakerFailures, openMs: s.crmBreakerOpenMs, maxOpenMs: s.crmBreakerMaxOpenMs,
    probeLeaseMs: s.crmTimeoutMs * 2 + 1000,
  });
  return {
    redis: o.redis, prefix: o.prefix, cache: o.cache,
    http: {
      redis: o.redis, prefix: o.prefix, breaker, sink: attemptSink(o.db, o.producers),
      timeoutMs: s.crmTimeoutMs, limiterMaxWaitMs: s.crmLimiterMaxWaitMs,
      onBreaker: (enterprise, integration, state) => metrics.crmBreakerOpen.set({ enterprise, integration }, state === 'closed' ? 0 : 1),
    },
    misconfig: o.misconfig ?? new MisconfigRegistry(o.redis, o.prefix),
    historyDelayMs: s.crmHistoryDelayMs,
    backoffBaseMs: s.crmBackoffBaseMs,
    popupWaitMs: s.crmPopupWaitMs ?? 2000,
    jobState: (jobId) => o.producers.queue('crmDispatch').getJobState(jobId),
    historyGatherMs: Math.min(500, Math.max(50, Math.round(s.crmHistoryDelayMs / 4))),
    // Two requests (a synthetic popup and the hangup) with their limiter waits, and room to spare.
    lockMs: 2 * (s.crmTimeoutMs + s.crmLimiterMaxWaitMs) + 5000,
    adapterFor,
  };
}

/**
 * The Telegram texts' customer name through the enterprise's primary CRM (hard timeout, Redis cache
 * shared with the gateway); null sends the caller to the customers table.
 */
export function crmCustomerNames(deps: CrmDispatchDeps, lookupTimeoutMs: number, cacheSeconds: number, log: Logger): (enterprise: string, phone: string) => Promise<string | null> {
  const lookups = new CrmLookups({
    redis: deps.redis, prefix: deps.prefix, log, adapterFor: deps.adapterFor, timeoutMs: lookupTimeoutMs, cacheSeconds,
    http: { ...deps.http, limiterMaxWaitMs: 0, timeoutMs: Math.min(deps.http.timeoutMs, lookupTimeoutMs) },
  });
  return async (enterprise, phone) => {
    const found = await deps.cache.lookup(enterprise, 'integrations');
    if (!found) return null;
    const answer = await lookups.customer(found.entry, phone);
    return answer?.value?.name ?? null;
  };
}
