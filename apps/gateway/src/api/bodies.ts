/**
 * The answers of the integration routes, in the old 8020 service's shapes (plus enterprise_number
 * and source where they help). Pure: an entry, when it is, and whether secrets may be shown.
 */
import { maskSecrets, type EnterpriseEntry, type Source } from '@callpipe/config-cache';

/** "cache" for either cache tier (the old word), "database" when this request loaded it. */
export const sourceWord = (s: Source) => (s === 'database' ? 'database' : 'cache');

const seconds = (ms: number) => Math.round(ms) / 1000;

export function integrationsBody(e: EnterpriseEntry, source: Source, now: number) {
  return {
    integrations: e.integrations,
    created_at: seconds(e.loadedAt),
    expires_at: seconds(e.expiresAt),
    age_seconds: Math.round((now - e.loadedAt) / 10) / 100,
    enterprise_number: e.number,
    source: sourceWord(source),
  };
}

export function configBody(e: EnterpriseEntry, source: Source, reveal: boolean) {
  return {
    enterprise_number: e.number,
    integrations: reveal ? e.configs : maskSecrets(e.configs),
    source: sourceWord(source),
    cached_at: new Date(e.loadedAt).toISOString(),
    primary: e.primary,
    invalid_integrations: e.invalid,
    secrets: reveal ? 'shown' : 'masked',
  };
}

export function integrationConfigBody(e: EnterpriseEntry, type: string, source: Source, reveal: boolean) {
  const config = Object.hasOwn(e.configs, type) ? e.configs[type]! : {};
  return {
    enterprise_number: e.number,
    integration_type: type,
    config: reveal ? config : maskSecrets(config),
    source: sourceWord(source),
    secrets: reveal ? 'shown' : 'masked',
  };
}
