/**
 * RetailCRM's per-key request limits as the sandbox enforces them: 10 requests/s, 40/s on /telephony
 * routes, each a token bucket holding one second's worth. A request over the limit takes nothing and
 * is answered 429 with the seconds until a token is back.
 */
import { KeyedLimiter, type LimitRule } from '../common/limiter.js';

export interface RetailCrmLimits {
  /** Requests per second per key on all routes but /telephony. */
  apiPerSecond: number;
  /** Requests per second per key on /telephony routes. */
  telephonyPerSecond: number;
}

export const RETAILCRM_SANDBOX_LIMITS: RetailCrmLimits = { apiPerSecond: 10, telephonyPerSecond: 40 };

export type LimitBucket = 'api' | 'telephony';

export const bucketOf = (path: string): LimitBucket => (path.startsWith('telephony/') ? 'telephony' : 'api');

const ruleOf = (perSecond: number): LimitRule => ({ requests: perSecond, perMs: 1000 });

/** A token bucket per key and route group, each holding one second's worth. */
export class KeyLimits {
  private readonly buckets: Record<LimitBucket, KeyedLimiter>;

  constructor(public limits: RetailCrmLimits) {
    this.buckets = { api: new KeyedLimiter(ruleOf(limits.apiPerSecond)), telephony: new KeyedLimiter(ruleOf(limits.telephonyPerSecond)) };
  }

  /** 0 when the request may go (a token taken), else the ms until one is back. */
  take(key: string, bucket: LimitBucket, now: number): number {
    return this.buckets[bucket].take(key, now);
  }

  reset(limits?: RetailCrmLimits): void {
    if (limits) this.limits = limits;
    this.buckets.api.reset(ruleOf(this.limits.apiPerSecond));
    this.buckets.telephony.reset(ruleOf(this.limits.telephonyPerSecond));
  }
}

export function parseLimits(body: unknown, current: RetailCrmLimits): RetailCrmLimits | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const out = { ...current };
  for (const key of Object.keys(body)) {
    if (!(key in current)) return `unknown limit "${key}"`;
    const v = (body as Record<string, unknown>)[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return `${key} must be a positive number`;
    out[key as keyof RetailCrmLimits] = v;
  }
  return out;
}
