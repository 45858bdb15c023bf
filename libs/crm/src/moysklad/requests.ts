/**
 * The MoySklad requests as CrmRequests (pure): Phone API 1.0 with its Lognex-Phone-Auth-Token,
 * JSON API 1.2 with a Bearer token and the gzip it insists on. Each API has its own limit bucket.
 */
import type { CrmRequest } from '../adapter.js';
import type { MsCallCreate, MsCallUpdate } from './mapping.js';
import type { MsSettings } from './settings.js';

/** Phone API: 100 requests per 5 s; JSON API: 45 per 3 s (both per account). */
export const MS_LIMITS = { phone: { requests: 100, perMs: 5_000 }, json: { requests: 45, perMs: 3_000 } } as const;

/** `what` of the requests whose 404 the adapter reads itself (the call is not in MoySklad yet). */
export const MS_WHAT = {
  create: 'phone/call create',
  updateShow: 'phone/call extid update (show)',
  hide: 'phone/call extid update (hide all)',
  finish: 'phone/call extid update (finish)',
  employees: 'phone/employee',
  counterparty: 'remap/entity/counterparty search',
} as const;

const phoneHeaders = (s: MsSettings): Record<string, string> => ({
  'Lognex-Phone-Auth-Token': s.phoneKey, 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Encoding': 'gzip',
});

const SECRET_HEADERS = ['Lognex-Phone-Auth-Token', 'Authorization'];

export function createCallRequest(s: MsSettings, body: MsCallCreate, what: string = MS_WHAT.create): CrmRequest {
  return { method: 'POST', url: `${s.phoneApiUrl}/call`, headers: phoneHeaders(s), json: body, secrets: SECRET_HEADERS, bucket: 'phone', what };
}

export function updateCallRequest(s: MsSettings, externalId: string, body: MsCallUpdate, what: string): CrmRequest {
  return {
    method: 'PUT', url: `${s.phoneApiUrl}/call/extid/${encodeURIComponent(externalId)}`, headers: phoneHeaders(s), json: body,
    secrets: SECRET_HEADERS, bucket: 'phone', what,
  };
}

/** Employees with an extension; `extension` narrows it to one (`filter=extention=101`, MoySklad's spelling). */
export function employeesRequest(s: MsSettings, extension?: string): CrmRequest {
  return {
    method: 'GET', url: `${s.phoneApiUrl}/employee`, headers: phoneHeaders(s),
    ...(extension ? { query: { filter: `extention=${extension}` } } : {}),
    secrets: SECRET_HEADERS, bucket: 'phone', what: MS_WHAT.employees,
  };
}

/** Context search of counterparties by the customer's digits (MoySklad matches phone numbers in it). */
export function counterpartyRequest(s: MsSettings & { jsonToken: string }, phoneDigits: string): CrmRequest {
  return {
    method: 'GET', url: `${s.jsonApiUrl}/entity/counterparty`,
    headers: { Authorization: `Bearer ${s.jsonToken}`, Accept: 'application/json;charset=utf-8', 'Accept-Encoding': 'gzip' },
    query: { search: phoneDigits, limit: '1' }, secrets: SECRET_HEADERS, bucket: 'json', what: MS_WHAT.counterparty,
  };
}
