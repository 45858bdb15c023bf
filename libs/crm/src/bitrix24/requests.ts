/**
 * The Bitrix24 REST calls as CrmRequests (pure): POST <webhook>/<method> with a JSON body. The
 * webhook code is a path segment: the executor masks it as part of the secret setting `webhook_url`.
 */
import type { CrmRequest } from '../adapter.js';
import type { FinishParams, RegisterParams } from './mapping.js';
import type { Bitrix24Settings } from './settings.js';

/** Bitrix24 drains 2 requests a second per portal (a leaky bucket); over it: 503 QUERY_LIMIT_EXCEEDED. */
export const B24_LIMITS = { rest: { requests: 2, perMs: 1_000 } } as const;

export const B24_METHOD = {
  search: 'telephony.externalCall.searchCrmEntities',
  register: 'telephony.externalcall.register',
  show: 'telephony.externalcall.show',
  hide: 'telephony.externalcall.hide',
  finish: 'telephony.externalcall.finish',
} as const;

function call(s: Bitrix24Settings, method: string, body: unknown, what: string = method): CrmRequest {
  return {
    method: 'POST', url: `${s.restBase}${s.code}/${method}.json`, json: body, headers: { Accept: 'application/json' },
    bucket: 'rest', what,
  };
}

export const searchRequest = (s: Bitrix24Settings, phone: string): CrmRequest => call(s, B24_METHOD.search, { PHONE_NUMBER: phone });
export const registerRequest = (s: Bitrix24Settings, p: RegisterParams): CrmRequest => call(s, B24_METHOD.register, p, `${B24_METHOD.register}${p.SHOW ? ' SHOW' : ''}`);
export const showRequest = (s: Bitrix24Settings, callId: string, users: number[]): CrmRequest => call(s, B24_METHOD.show, { CALL_ID: callId, USER_ID: users });
export const hideRequest = (s: Bitrix24Settings, callId: string, users: number[]): CrmRequest => call(s, B24_METHOD.hide, { CALL_ID: callId, USER_ID: users });
export const finishRequest = (s: Bitrix24Settings, p: FinishParams): CrmRequest => call(s, B24_METHOD.finish, p);
