/** Smart redirect's and the call-back's dependencies from the config (the workers' main wires them). */
import { amiSettingsOf } from '@callpipe/ami';
import type { Config } from '@callpipe/config';
import type { ConfigCache } from '@callpipe/config-cache';
import { CrmLookups } from '@callpipe/crm';
import type { Logger } from '@callpipe/logging';
import type { CrmDispatchDeps } from '../../crm/deps.js';
import type { SmartRedirectDeps } from '../../smartRedirect/smartRedirect.js';
import type { TelegramSyncDeps } from '../deps.js';
import type { CallBackDeps } from './handlePress.js';

type Settings = Pick<Config, 'smartRedirectTimeoutMs' | 'amiConnectTimeoutMs' | 'amiOriginateTimeoutMs' | 'crmLookupCacheSeconds' | 'pbxTimeZone'>;

export function smartRedirectDeps(config: Settings, crm: CrmDispatchDeps, cache: Pick<ConfigCache, 'lookup'>, log: Logger): SmartRedirectDeps {
  const t = config.smartRedirectTimeoutMs;
  const lookups = new CrmLookups({
    redis: crm.redis, prefix: crm.prefix, log, adapterFor: crm.adapterFor, timeoutMs: t, cacheSeconds: config.crmLookupCacheSeconds,
    // The caller is on the line: no wait for a rate-limit slot, and no request longer than the decision may take.
    http: { ...crm.http, limiterMaxWaitMs: 0, timeoutMs: Math.min(crm.http.timeoutMs, t) },
  });
  return { redis: crm.redis, prefix: crm.prefix, cache, lookups, crmTimeoutMs: t, amiTimeoutMs: config.amiConnectTimeoutMs };
}

export function callBackDeps(config: Settings, telegram: TelegramSyncDeps, cache: Pick<ConfigCache, 'lookup'>): CallBackDeps {
  return {
    telegram,
    amiSettingsOf: async (enterprise) => {
      const found = await cache.lookup(enterprise, 'config');
      return found && found.entry.number === enterprise ? amiSettingsOf(found.entry.configs) : null;
    },
    timeouts: { connectMs: config.amiConnectTimeoutMs, resultMs: config.amiOriginateTimeoutMs },
    defaultTimeZone: config.pbxTimeZone,
  };
}
