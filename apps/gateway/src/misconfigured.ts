/**
 * The enterprises whose setup retries cannot fix, for /health and /stats: what the workers reported
 * in the shared registry (bad bot tokens, CRM credentials refused, …) and the integration settings
 * this process's config cache found failing their schema. Answers within a bound: a Redis that
 * does not answer leaves the registry's part out and says so.
 */
import type { ConfigCache } from '@callpipe/config-cache';
import type { Misconfig, MisconfigRegistry } from '@callpipe/queues';

export interface MisconfiguredList {
  enterprises: Misconfig[];
  /** False when the shared registry could not be read in time (Redis down): the list may be short. */
  complete: boolean;
}

const REGISTRY_WAIT_MS = 500;

export type ListMisconfigured = () => Promise<MisconfiguredList>;

export function misconfiguredLister(registry: MisconfigRegistry, cache: ConfigCache): ListMisconfigured {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const reported = await Promise.race([
      registry.list(),
      new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), REGISTRY_WAIT_MS); }),
    ]).catch(() => null).finally(() => clearTimeout(timer));
    const since = cache.counters.lastFullRefresh?.toISOString() ?? new Date(cache.counters.startedAt).toISOString();
    const schema: Misconfig[] = cache.invalidList().map((i) => ({
      enterprise: i.enterprise, integration: i.integration, reason: `settings fail their schema: ${i.error}`, since,
    }));
    return { enterprises: [...(reported ?? []), ...schema], complete: reported !== null };
  };
}
