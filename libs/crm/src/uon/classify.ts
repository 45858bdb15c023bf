/**
 * How to read a U-ON answer. U-ON answers JSON with a `result` code mirroring the HTTP one
 * (`{"result": 200, "id": …}`; errors carry `message`); 429 when over 5 requests a second; a bad or
 * revoked key is refused (401/403). A client lookup that finds nobody (404) is an answer, not an error.
 */
import type { CrmRequest, CrmResponse, CrmVerdict } from '../adapter.js';
import { bodyText, httpVerdict } from '../answers.js';
import { classifyHttp } from '../http/classifyHttp.js';
import { UON_WHAT } from './requests.js';

function resultCode(body: unknown): number | undefined {
  const r = typeof body === 'object' && body !== null ? (body as { result?: unknown }).result : undefined;
  const n = typeof r === 'string' ? Number(r) : r;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export function uonErrorText(body: unknown): string {
  const m = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  return typeof m === 'string' && m !== '' ? m : bodyText(body);
}

export function classifyUon(outcome: CrmResponse | Error, request: CrmRequest): CrmVerdict {
  if (outcome instanceof Error) return classifyHttp(outcome);
  // U-ON may answer HTTP 200 with an error code inside: the inner code decides.
  const inner = outcome.status >= 200 && outcome.status < 300 ? resultCode(outcome.body) : undefined;
  const status = inner !== undefined && inner >= 100 && inner < 600 ? inner : outcome.status;
  if (status === 404 && request.what === UON_WHAT.client) return { kind: 'ok' };
  return httpVerdict({ ...outcome, status }, uonErrorText(outcome.body));
}
