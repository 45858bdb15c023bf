/**
 * The usual reading of an HTTP answer, for adapters to start from (pure): 2xx ok; 429 and 503 wait
 * (Retry-After when given); other 5xx, 408 and no answer retry; 401/403 a bad key; other 4xx a request
 * the CRM will never take. An adapter refines it with its own envelope (RetailCRM's success:false).
 */
import type { CrmResponse, CrmVerdict } from '../adapter.js';
import { CrmTransportError } from './transportError.js';

/** Wait used for a 429 that names none. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 1000;
/** A Retry-After longer than this is taken as this (a CRM asking for a day is held back by the breaker instead). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

function headerValue(headers: CrmResponse['headers'], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: CrmResponse['headers'], now = Date.now()): number | undefined {
  const raw = headerValue(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(raw)) ms = Number(raw) * 1000;
  else {
    const at = Date.parse(raw);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(ms)));
}

export function classifyHttp(outcome: CrmResponse | Error, now = Date.now()): CrmVerdict {
  if (outcome instanceof Error) {
    const kind = outcome instanceof CrmTransportError ? outcome.kind : 'network';
    return { kind: 'retry', reason: `${kind}: ${outcome.message}` };
  }
  const { status } = outcome;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const wait = retryAfterMs(outcome.headers, now);
  if (status === 429) return { kind: 'rate-limited', waitMs: wait ?? DEFAULT_RATE_LIMIT_WAIT_MS, reason: `429 too many requests` };
  if (status === 503 && wait !== undefined) return { kind: 'rate-limited', waitMs: wait, reason: '503 with Retry-After' };
  if (status >= 500 || status === 408) return { kind: 'retry', reason: `HTTP ${status}` };
  if (status === 401 || status === 403) return { kind: 'fatal', reason: `HTTP ${status}: the CRM refused our credentials`, auth: true };
  return { kind: 'fatal', reason: `HTTP ${status}: the CRM refused the request`, auth: false };
}
