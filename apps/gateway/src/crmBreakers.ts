/**
 * The CRM circuit breakers for /health, /stats and /metrics: every (enterprise, integration) whose
 * breaker has opened lately, read from Redis (the workers keep them there) within a bound, so a slow
 * Redis leaves them out and says so rather than holding the answer.
 */
import type { Redis } from 'ioredis';
import { readBreakers, type BreakerStatus } from '@callpipe/crm';
import { metrics } from '@callpipe/metrics';

export interface BreakerList {
  breakers: BreakerStatus[];
  /** False when Redis did not answer in time. */
  complete: boolean;
}

export type ListBreakers = () => Promise<BreakerList>;

const WAIT_MS = 500;

export function breakerLister(redis: Redis, prefix: string): ListBreakers {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const list = await Promise.race([
      readBreakers(redis, prefix),
      new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), WAIT_MS); }),
    ]).catch(() => null).finally(() => clearTimeout(timer));
    return { breakers: list ?? [], complete: list !== null };
  };
}

/** Fills callpipe_crm_breaker_open at scrape time. */
export async function collectBreakers(list: ListBreakers): Promise<void> {
  const { breakers, complete } = await list();
  if (!complete) return;
  metrics.crmBreakerOpen.reset();
  for (const b of breakers) metrics.crmBreakerOpen.set({ enterprise: b.enterprise, integration: b.integration }, b.state === 'closed' ? 0 : 1);
}
