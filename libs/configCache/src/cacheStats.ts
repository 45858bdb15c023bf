/**
 * The counters behind GET /stats, per process, and the answer's shape: the old service's fields
 * (hits, misses, config_hits, …, hit rates, sizes, last_full_refresh) plus what the two tiers and
 * the schema check add. Lookups of the matrix count as hits/misses, of full configs as config_*.
 */
import { metrics } from '@callpipe/metrics';

export type LookupKind = 'integrations' | 'config';
export type Source = 'local' | 'redis' | 'database';

// Labelled children bound once: prom-client hashes a label object on every inc() otherwise,
// which would be most of what a warm hit costs.
const requestCounters = {
  integrations: { hit: metrics.cacheRequests.labels({ cache: 'integrations', result: 'hit' }), miss: metrics.cacheRequests.labels({ cache: 'integrations', result: 'miss' }) },
  config: { hit: metrics.cacheRequests.labels({ cache: 'config', result: 'hit' }), miss: metrics.cacheRequests.labels({ cache: 'config', result: 'miss' }) },
};

export class CacheCounters {
  hits = 0;
  misses = 0;
  configHits = 0;
  configMisses = 0;
  localHits = 0;
  redisHits = 0;
  dbLoads = 0;
  refreshes = 0;
  refreshFailures = 0;
  invalidations = 0;
  redisErrors = 0;
  notFound = 0;
  lastFullRefresh: Date | null = null;
  lastInvalidation: Date | null = null;
  readonly startedAt = Date.now();

  /** One answered lookup; a caller that waited for a load (of its own or another caller's) is a miss. */
  record(kind: LookupKind, source: Source): void {
    const hit = source !== 'database';
    if (kind === 'integrations') {
      if (hit) this.hits += 1;
      else this.misses += 1;
    } else if (hit) this.configHits += 1;
    else this.configMisses += 1;
    if (source === 'local') this.localHits += 1;
    else if (source === 'redis') this.redisHits += 1;
    requestCounters[kind][hit ? 'hit' : 'miss'].inc();
  }
}

export interface InvalidConfig {
  enterprise: string;
  integration: string;
  error: string;
}

export interface StatsInput {
  counters: CacheCounters;
  localEntries: number;
  invalid: readonly InvalidConfig[];
  nextFullRefresh: Date | null;
  lookups: { hits: number; misses: number; entries: number };
  now: number;
}

const rate = (hits: number, misses: number) => (hits + misses ? Math.round((hits / (hits + misses)) * 1000) / 10 : 0);

export function statsBody(s: StatsInput) {
  const c = s.counters;
  return {
    hits: c.hits,
    misses: c.misses,
    refreshes: c.refreshes,
    // One entry holds an enterprise's matrix and its configs, so the old two sizes are equal.
    cache_size: s.localEntries,
    config_hits: c.configHits,
    config_misses: c.configMisses,
    config_cache_size: s.localEntries,
    last_full_refresh: c.lastFullRefresh?.toISOString() ?? null,
    total_requests: c.hits + c.misses,
    hit_rate_percent: rate(c.hits, c.misses),
    config_hit_rate_percent: rate(c.configHits, c.configMisses),
    cache_entries: s.localEntries,
    config_cache_entries: s.localEntries,
    // Beyond the old service:
    local_hits: c.localHits,
    redis_hits: c.redisHits,
    database_loads: c.dbLoads,
    not_found: c.notFound,
    invalidations: c.invalidations,
    last_invalidation: c.lastInvalidation?.toISOString() ?? null,
    refresh_failures: c.refreshFailures,
    next_full_refresh: s.nextFullRefresh?.toISOString() ?? null,
    redis_errors: c.redisErrors,
    invalid_configs: s.invalid.length,
    invalid_config_details: s.invalid,
    lookup_hits: s.lookups.hits,
    lookup_misses: s.lookups.misses,
    lookup_entries: s.lookups.entries,
    uptime_seconds: Math.round((s.now - c.startedAt) / 1000),
  };
}

export type StatsBody = ReturnType<typeof statsBody>;
