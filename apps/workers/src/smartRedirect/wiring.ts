/** Smart redirect's dependencies from the config (the workers' main wires them). */
import type { Config } from '@callpipe/config';
import type { ConfigCache } from '@callpipe/config-cache';
import { CrmLookups } from '@callpipe/crm';
import type { Logger } from '@callpipe/logging';
import type { CrmDispatchDeps } from '../crm/deps.js';
import type { SmartRedirectDeps } from './smartRedirect.js';

type Settings = Pick<Config, 'smartRedirectTimeoutMs' | 'amiConnectTimeoutMs' | 'crmLookupCacheSeconds'>;

export function smartRedirectDeps(config: Settings, crm: CrmDispatchDeps, cache: Pick<ConfigCache, 'lookup'>, log: Logger): SmartRedirectDeps {
  const t = config.smartRedirectTimeoutMs;
  const lookups = new CrmLookups({
    redis: crm.redis, prefix: crm.prefix, log, adapterFor: crm.adapterFor, timeoutMs: t, cacheSeconds: config.crmLookupCacheSeconds,
    // The caller is on the line: no wait for a rate-limit slot, and no request longer than the decision may take.
    http: { ...crm.http, limiterMaxWaitMs: 0, timeoutMs: Math.min(crm.http.timeoutMs, t) },
  });
  return { redis: crm.redis, prefix: crm.prefix, cache, lookups, crmTimeoutMs: t, amiTimeoutMs: config.amiConnectTimeoutMs };
}
