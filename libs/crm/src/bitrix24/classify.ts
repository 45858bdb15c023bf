/**
 * How to read a Bitrix24 REST answer: `{result, time}` when it worked, `{error, error_description}`
 * when not. Bitrix24's own system errors say what to do: 503 QUERY_LIMIT_EXCEEDED (the 2 a second
 * bucket is full: wait about a second), 429 OPERATION_TIME_LIMIT (the method used up its execution
 * time: wait), 500 INTERNAL_SERVER_ERROR (retry), 401 NO_AUTH_FOUND / INVALID_CREDENTIALS /
 * insufficient_scope / ACCESS_DENIED / expired_token, 403 PORTAL_DELETED, 404 ERROR_METHOD_NOT_FOUND
 * (the webhook lacks the telephony scope) — the integration is misconfigured; a method's own 400
 * (ERROR_CORE, INVALID_ARGUMENT) is a request a retry cannot fix. One exception: `finish` of a call
 * Bitrix24 no longer has open means an earlier finish went through — done, with a warning.
 */
import type { CrmRequest, CrmResponse, CrmVerdict } from '../adapter.js';
import { bodyText } from '../answers.js';
import { classifyHttp, retryAfterMs } from '../http/classifyHttp.js';
import { B24_METHOD } from './requests.js';

const AUTH_ERRORS = new Set([
  'NO_AUTH_FOUND', 'INVALID_CREDENTIALS', 'INVALID_REQUEST', 'OVERLOAD_LIMIT', 'ACCESS_DENIED', 'insufficient_scope',
  'expired_token', 'invalid_token', 'user_access_error', 'PORTAL_DELETED', 'ERROR_METHOD_NOT_FOUND', 'WRONG_AUTH_TYPE',
]);

/** Wait after QUERY_LIMIT_EXCEEDED: the bucket drains 2 a second, so about a second frees a slot. */
export const B24_QUERY_LIMIT_WAIT_MS = 1_000;
/** Wait after OPERATION_TIME_LIMIT when no Retry-After says better: Bitrix24 counts a method's time over 10 minutes. */
export const B24_OPERATION_LIMIT_WAIT_MS = 60_000;

export function b24Error(body: unknown): { code: string; description: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  return typeof error === 'string' ? { code: error, description: typeof description === 'string' ? description : '' } : null;
}

export function classifyB24(outcome: CrmResponse | Error, request: CrmRequest): CrmVerdict {
  if (outcome instanceof Error) return classifyHttp(outcome);
  const { status, body } = outcome;
  const err = b24Error(body);
  const reason = `HTTP ${status}${err ? `: ${err.code}${err.description ? ` (${err.description})` : ''}` : `: ${bodyText(body)}`}`;
  if (status >= 200 && status < 300 && !err) return { kind: 'ok' };
  if (err?.code === 'QUERY_LIMIT_EXCEEDED') return { kind: 'rate-limited', waitMs: retryAfterMs(outcome.headers) ?? B24_QUERY_LIMIT_WAIT_MS, reason };
  if (err?.code === 'OPERATION_TIME_LIMIT' || status === 429) {
    return { kind: 'rate-limited', waitMs: retryAfterMs(outcome.headers) ?? B24_OPERATION_LIMIT_WAIT_MS, reason };
  }
  if (status >= 500 || status === 408) return { kind: 'retry', reason };
  if (err && AUTH_ERRORS.has(err.code)) return { kind: 'fatal', reason, auth: true };
  if (status === 401 || status === 403) return { kind: 'fatal', reason, auth: true };
  if (request.what === B24_METHOD.finish && err?.code === 'ERROR_CORE' && /call is not found/i.test(err.description)) {
    return { kind: 'ok', warnings: ['finish: Bitrix24 has no open call with this CALL_ID (an earlier finish went through)'] };
  }
  return { kind: 'fatal', reason, auth: false };
}
