/**
 * A CRM's own request limit as the sandbox enforces it, per key: a token bucket of `burst` tokens
 * refilled at `requests` per `perMs`. A request over the limit takes nothing and learns the wait.
 */

export interface LimitRule {
  requests: number;
  perMs: number;
  /** Tokens the bucket holds when full (default: `requests`). */
  burst?: number;
}

export class KeyedLimiter {
  private readonly levels = new Map<string, { tokens: number; ts: number }>();

  constructor(public rule: LimitRule) {}

  /** 0 when the request may go (a token taken), else the ms until a token is back. */
  take(key: string, now: number): number {
    const cap = this.rule.burst ?? this.rule.requests;
    const perMs = this.rule.requests / this.rule.perMs;
    const last = this.levels.get(key) ?? { tokens: cap, ts: now };
    const tokens = Math.min(cap, last.tokens + Math.max(0, now - last.ts) * perMs);
    if (tokens < 1) {
      this.levels.set(key, { tokens, ts: now });
      return Math.ceil((1 - tokens) / perMs);
    }
    this.levels.set(key, { tokens: tokens - 1, ts: now });
    return 0;
  }

  reset(rule?: LimitRule): void {
    this.levels.clear();
    if (rule) this.rule = rule;
  }
}

/** Merges {requests?, perMs?, burst?} into a rule; a string says what is wrong. */
export function parseLimit(body: unknown, current: LimitRule): LimitRule | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const out = { ...current };
  for (const [key, v] of Object.entries(body)) {
    if (key !== 'requests' && key !== 'perMs' && key !== 'burst') return `unknown limit "${key}"`;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return `${key} must be a positive number`;
    out[key] = v;
  }
  return out;
}
