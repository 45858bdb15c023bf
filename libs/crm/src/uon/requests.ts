/**
 * The U-ON requests as CrmRequests (pure). The key is a path segment (https://api.u-on.ru/{key}/…):
 * the executor masks it as the value of the secret setting `api_key`. POST bodies are form-encoded,
 * as U-ON's own PHP client sends them.
 */
import type { CrmRequest } from '../adapter.js';
import type { UonSettings } from './settings.js';

/** U-ON allows 5 requests a second per key (their limit since 2018; over it they answer 429). */
export const UON_LIMITS = { api: { requests: 5, perMs: 1_000 } } as const;

export const UON_WHAT = {
  client: 'user/phone lookup',
  notify: 'notification/create',
  history: 'call_history/create',
} as const;

const url = (s: UonSettings, path: string): string => `${s.apiUrl}/${encodeURIComponent(s.apiKey)}/${path}.json`;

export function clientByPhoneRequest(s: UonSettings, digits: string): CrmRequest {
  return { method: 'GET', url: url(s, `user/phone/${digits}`), bucket: 'api', what: UON_WHAT.client };
}

export function notificationRequest(s: UonSettings, form: Record<string, string>): CrmRequest {
  return { method: 'POST', url: url(s, 'notification/create'), form, bucket: 'api', what: UON_WHAT.notify };
}

export function callHistoryRequest(s: UonSettings, form: Record<string, string>): CrmRequest {
  return { method: 'POST', url: url(s, 'call_history/create'), form, bucket: 'api', what: UON_WHAT.history };
}
