/** The RetailCRM API v5 requests as CrmRequest values: URL, X-API-KEY (marked secret), bucket, form or query. */
import type { CrmRequest } from '../adapter.js';
import { callEventForm, type CallEvent } from './callEvent.js';
import { callsUploadForm, type UploadCall } from './callsUpload.js';
import { customersQuery, managerQuery } from './lookup.js';
import type { RetailCrmSettings } from './settings.js';

/** RetailCRM's per-key limits (its official Go client): 10 requests/s, 40/s on /telephony routes. */
export const RETAILCRM_LIMITS = {
  api: { requests: 10, perMs: 1000 },
  telephony: { requests: 40, perMs: 1000 },
} as const;

const KEY_HEADER = 'X-API-KEY';

function request(s: RetailCrmSettings, method: 'GET' | 'POST', path: string, what: string, body: { form?: Record<string, string>; query?: Record<string, string> }): CrmRequest {
  return {
    method,
    url: `${s.baseUrl}/api/v5/${path}`,
    headers: { [KEY_HEADER]: s.apiKey },
    secrets: [KEY_HEADER],
    bucket: path.startsWith('telephony/') ? 'telephony' : 'api',
    what,
    ...body,
  };
}

/** clientId: our enterprise number, the id RetailCRM's telephony module knows this PBX by. */
export function callEventRequest(s: RetailCrmSettings, enterprise: string, event: CallEvent): CrmRequest {
  const who = event.codes ? `codes ${event.codes.join(',')}` : `userIds ${(event.userIds ?? []).join(',')}`;
  return request(s, 'POST', 'telephony/call/event', `telephony/call/event ${event.type} ${who}`, { form: callEventForm(enterprise, event) });
}

export function callsUploadRequest(s: RetailCrmSettings, enterprise: string, calls: readonly UploadCall[]): CrmRequest {
  return request(s, 'POST', 'telephony/calls/upload', `telephony/calls/upload ${calls.length} call${calls.length === 1 ? '' : 's'}`, { form: callsUploadForm(enterprise, calls) });
}

export function managerRequest(s: RetailCrmSettings, phone: string): CrmRequest {
  return request(s, 'GET', 'telephony/manager', 'telephony/manager', { query: managerQuery(phone) });
}

export function customersRequest(s: RetailCrmSettings, phone: string): CrmRequest {
  return request(s, 'GET', 'customers', 'customers by phone', { query: customersQuery(phone) });
}
