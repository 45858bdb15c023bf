/**
 * Faults the sandbox RetailCRM injects on command, per account or for all ("*"): down (a proxy's 503
 * page, no Retry-After), slow (delay before answering), the next N requests answered 429 or 503 with
 * Retry-After, or 401 (the key revoked), and a share of 500s.
 */

export interface RetailCrmFaults {
  /** Every request answered by a proxy's bare 503 page: RetailCRM down. */
  down: boolean;
  /** Added before every answer, in ms (longer than a client's timeout = a timeout). */
  delayMs: number;
  /** Every request answered 401 Wrong "apiKey" value. */
  unauthorized: boolean;
  /** The next N requests answered 429 / 503 with Retry-After, then normal again. */
  next429: number;
  next503: number;
  /** Retry-After of injected 429 and 503 answers, in seconds. */
  retryAfterSec: number;
  /** Share of requests answered 500 (0..1). */
  rate500: number;
}

export const NO_FAULTS: RetailCrmFaults = { down: false, delayMs: 0, unauthorized: false, next429: 0, next503: 0, retryAfterSec: 2, rate500: 0 };

const RANGES: Record<'delayMs' | 'next429' | 'next503' | 'retryAfterSec' | 'rate500', [number, number]> = {
  delayMs: [0, 120_000], next429: [0, 1_000_000], next503: [0, 1_000_000], retryAfterSec: [0, 3600], rate500: [0, 1],
};

/** Merges an admin body into the faults; a string names the first bad field. */
export function parseFaults(body: Record<string, unknown>, current: RetailCrmFaults): RetailCrmFaults | string {
  const out = { ...current };
  for (const [key, v] of Object.entries(body)) {
    if (key === 'account') continue;
    if (key === 'down' || key === 'unauthorized') {
      if (typeof v !== 'boolean') return `${key} must be true or false`;
      out[key] = v;
    } else if (key in RANGES) {
      const [min, max] = RANGES[key as keyof typeof RANGES];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return `${key} must be a number from ${min} to ${max}`;
      out[key as keyof typeof RANGES] = v;
    } else return `unknown fault "${key}"`;
  }
  return out;
}

export type Injected = { kind: 'down' } | { kind: '401' } | { kind: '429' | '503'; retryAfterSec: number } | { kind: '500' } | null;

/** The fault this request gets, consuming a `next*` count when one applies. */
export function drawFault(f: RetailCrmFaults, random: () => number = Math.random): Injected {
  if (f.down) return { kind: 'down' };
  if (f.unauthorized) return { kind: '401' };
  if (f.next503 > 0) {
    f.next503 -= 1;
    return { kind: '503', retryAfterSec: f.retryAfterSec };
  }
  if (f.next429 > 0) {
    f.next429 -= 1;
    return { kind: '429', retryAfterSec: f.retryAfterSec };
  }
  if (f.rate500 > 0 && random() < f.rate500) return { kind: '500' };
  return null;
}

export const isQuiet = (f: RetailCrmFaults): boolean => !f.down && !f.unauthorized && f.delayMs === 0 && f.next429 === 0 && f.next503 === 0 && f.rate500 === 0;
