/** The call-back's dependencies from the config (the workers' main wires them). */
import { amiSettingsOf } from '@callpipe/ami';
import type { Config } from '@callpipe/config';
import type { ConfigCache } from '@callpipe/config-cache';
import type { TelegramSyncDeps } from '../deps.js';
import type { CallBackDeps } from './handlePress.js';

type Settings = Pick<Config, 'amiConnectTimeoutMs' | 'amiOriginateTimeoutMs' | 'pbxTimeZone'>;

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
