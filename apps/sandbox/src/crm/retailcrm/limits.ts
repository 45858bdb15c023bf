/**
 * RetailCRM's per-key request limits as the sandbox enforces them: 10 requests/s, 40/s on /telephony
 * routes, each a token bucket holding one second's worth. A request over the limit takes nothing and
 * is answered 429 with the seconds until a token is back.
 */

export interface RetailCrmLimits {
  /** Requests per second per key on all routes but /telephony. */
  apiPerSecond: number;
  /** Requests per second per key on /telephony routes. */
  telephonyPerSecond: number;
}

export const RETAILCRM_SANDBOX_LIMITS: RetailCrmLimits = { apiPerSecond: 10, telephonyPerSecond: 40 };

export type LimitBucket = 'api' | 'telephony';

export const bucketOf = (path: string): LimitBucket => (path.startsWith('telephony/') ? 'telephony' : 'api');

export class KeyLimits {
  private readonly levels = new Map<string, { tokens: number; ts: number }>();

  constructor(public limits: RetailCrmLimits) {}

  /** 0 when the request may go (a token taken), else the ms until one is back. */
  take(key: string, bucket: LimitBucket, now: number): number {
    const rate = bucket === 'telephony' ? this.limits.telephonyPerSecond : this.limits.apiPerSecond;
    const perMs = rate / 1000;
    const id = `${key}:${bucket}`;
    const last = this.levels.get(id) ?? { tokens: rate, ts: now };
    const tokens = Math.min(rate, last.tokens + Math.max(0, now - last.ts) * perMs);
    if (tokens < 1) {
      this.levels.set(id, { tokens, ts: now });
      return Math.ceil((1 - tokens) / perMs);
    }
    this.levels.set(id, { tokens: tokens - 1, ts: now });
    return 0;
  }

  reset(limits?: RetailCrmLimits): void {
    this.levels.clear();
    if (limits) this.limits = limits;
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
