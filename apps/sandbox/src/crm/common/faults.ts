/**
 * Faults a sandbox CRM (RetailCRM, MoySklad, U-ON, Bitrix24) injects on command, per account or for all ("*"):
 * down (a proxy's bare 503 page), slow (a delay before answering; longer than the client's timeout
 * is a timeout), the key revoked (401), the next N requests answered 429 or 503 with Retry-After,
 * and a share of 500s. Each CRM dresses the fault in its own error envelope.
 */

export interface CrmFaults {
  down: boolean;
  delayMs: number;
  unauthorized: boolean;
  next429: number;
  next503: number;
  /** Retry-After of injected 429 and 503 answers, in seconds. */
  retryAfterSec: number;
  /** Share of requests answered 500 (0..1). */
  rate500: number;
}

export const NO_FAULTS: CrmFaults = { down: false, delayMs: 0, unauthorized: false, next429: 0, next503: 0, retryAfterSec: 2, rate500: 0 };

const RANGES: Record<'delayMs' | 'next429' | 'next503' | 'retryAfterSec' | 'rate500', [number, number]> = {
  delayMs: [0, 120_000], next429: [0, 1_000_000], next503: [0, 1_000_000], retryAfterSec: [0, 3600], rate500: [0, 1],
};

/** Merges an admin body ({account?, ...faults}) into the faults; a string names the first bad field. */
export function parseFaults(body: Record<string, unknown>, current: CrmFaults): CrmFaults | string {
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
export function drawFault(f: CrmFaults, random: () => number = Math.random): Injected {
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

export const DOWN_PAGE = '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>';
