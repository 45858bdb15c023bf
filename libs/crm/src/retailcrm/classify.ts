/**
 * How to read RetailCRM's answers, on top of the shared HTTP reading (../http/classifyHttp.ts).
 * ok: `success: true` (codes or users it does not know, calls it already had, come back as warnings);
 * rate-limited: 429, or 503 carrying Retry-After or RetailCRM's own envelope (its per-key limit) —
 * wait, without counting against the CRM; retry: timeouts, refused connections, other 5xx (a bare 503
 * from a proxy is the CRM being down); fatal: a retry cannot help — 401/403, a key or account error
 * and a page that is not RetailCRM's API at all are `auth` (the integration is misconfigured); 400
 * and other 4xx are requests it will never take.
 */
import type { CrmRequest, CrmResponse, CrmVerdict } from '../adapter.js';
import { classifyHttp, DEFAULT_RATE_LIMIT_WAIT_MS, retryAfterMs } from '../http/classifyHttp.js';
import { describe, listField, readEnvelope } from './envelope.js';

/** Messages that mean the key or the account is wrong, whatever the status. */
const AUTH_MESSAGE = /apiKey|Account does not exist|Access denied/i;

/** The warnings an ok answer carries: managers RetailCRM could not find, calls it already had. */
export function warningsOf(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  const codes = listField(body, 'notExistCodes');
  const users = listField(body, 'notExistUsers');
  const dups = listField(body, 'duplicateCalls');
  if (codes.length) out.push(`notExistCodes: ${codes.join(', ')} (extensions RetailCRM has no manager for: register them in the module's additionalCodes)`);
  if (users.length) out.push(`notExistUsers: ${users.join(', ')} (user ids RetailCRM does not know: fix user_extensions)`);
  if (dups.length) out.push(`duplicateCalls: ${dups.join(', ')} (already in RetailCRM's history)`);
  return out;
}

export function classify(outcome: CrmResponse | Error, _request?: CrmRequest, now = Date.now()): CrmVerdict {
  if (outcome instanceof Error) return classifyHttp(outcome, now);
  const { status } = outcome;
  const env = readEnvelope(outcome.body);
  const wait = retryAfterMs(outcome.headers, now);

  if (status === 429 || (status === 503 && (wait !== undefined || env !== null))) {
    return { kind: 'rate-limited', waitMs: wait ?? DEFAULT_RATE_LIMIT_WAIT_MS, reason: `rate limited: HTTP ${status}${env ? ` ${describe(env, '')}` : ''}`.trim() };
  }
  if (status >= 500 || status === 408) return { kind: 'retry', reason: `HTTP ${status}${env ? `: ${describe(env, 'server error')}` : ''}` };
  if (status === 401 || status === 403) return { kind: 'fatal', auth: true, reason: `HTTP ${status}: ${env ? describe(env, 'access denied') : 'access denied'}` };
  // RetailCRM answers its API in the envelope, errors included; anything else is not its API (wrong domain).
  if (env === null) return { kind: 'fatal', auth: true, reason: `HTTP ${status}: not a RetailCRM API answer (check the domain)` };
  if (status >= 400) return { kind: 'fatal', auth: AUTH_MESSAGE.test(env.errorMsg ?? ''), reason: `HTTP ${status}: ${describe(env, 'request refused')}` };
  if (!env.success) return { kind: 'fatal', auth: AUTH_MESSAGE.test(env.errorMsg ?? ''), reason: `HTTP ${status}: ${describe(env, 'success: false')}` };
  const warnings = warningsOf(env.body);
  return warnings.length ? { kind: 'ok', warnings } : { kind: 'ok' };
}
