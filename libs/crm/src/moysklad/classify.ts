/**
 * How to read a MoySklad answer. Its errors come as `{errors: [{error, code, parameter}]}` with an
 * HTTP status: 401 bad key, 403 no rights (or the Phone API solution not installed, code 55008),
 * 400/412 a body it cannot take, 429 over the limit (X-Lognex-Retry-After in ms), 5xx its trouble.
 * A 404 of a PUT on a call by externalId is not an error: the call is not in MoySklad yet, and the
 * adapter reads the status and creates it. MoySklad switches off an API user who repeats 500
 * identical failing requests a minute — one more reason never to retry a 4xx.
 */
import type { CrmRequest, CrmResponse, CrmVerdict } from '../adapter.js';
import { bodyText, header, httpVerdict } from '../answers.js';
import { classifyHttp, retryAfterMs } from '../http/classifyHttp.js';
import { MS_LIMITS, MS_WHAT } from './requests.js';

const NOT_THERE_YET: ReadonlySet<string> = new Set([MS_WHAT.updateShow, MS_WHAT.hide, MS_WHAT.finish]);

/** "1056: Ошибка аутентификации" from the errors envelope, else the body's text. */
export function msErrorText(body: unknown): string {
  const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors.map((e: unknown) => {
      const x = (e ?? {}) as { error?: unknown; code?: unknown; parameter?: unknown };
      const param = typeof x.parameter === 'string' ? ` (${x.parameter})` : '';
      return `${typeof x.code === 'number' || typeof x.code === 'string' ? `${x.code}: ` : ''}${String(x.error ?? 'error')}${param}`;
    }).join('; ');
  }
  return bodyText(body);
}

function lognexWaitMs(response: CrmResponse): number | undefined {
  const raw = header(response, 'x-lognex-retry-after');
  return raw && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
}

export function classifyMs(outcome: CrmResponse | Error, request: CrmRequest): CrmVerdict {
  if (outcome instanceof Error) return classifyHttp(outcome);
  const { status, body } = outcome;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 404 && NOT_THERE_YET.has(request.what)) return { kind: 'ok' };
  if (status === 429) {
    const window = request.bucket === 'json' ? MS_LIMITS.json.perMs : MS_LIMITS.phone.perMs;
    return { kind: 'rate-limited', waitMs: lognexWaitMs(outcome) ?? retryAfterMs(outcome.headers) ?? window, reason: `HTTP 429: ${msErrorText(body)}` };
  }
  return httpVerdict(outcome, msErrorText(body));
}
