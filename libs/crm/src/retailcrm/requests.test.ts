/** The RetailCRM requests as the shared executor receives them: URL, auth header marked secret, bucket, body. */
import { describe, expect, it } from 'vitest';
import { sampleFacts } from '../sampleFacts.js';
import { maskRequest, secretValuesOf } from '../http/maskRequest.js';
import { popupEvent, type CallEvent } from './callEvent.js';
import { planUploads } from './callsUpload.js';
import { callEventRequest, callsUploadRequest, customersRequest, managerRequest, RETAILCRM_LIMITS } from './requests.js';
import { readSettings, type RetailCrmSettings } from './settings.js';

const S = readSettings({ domain: 'https://shop.retailcrm.ru/', api_key: 'Xk9-secret-key', user_extensions: { 19: '150' } }) as RetailCrmSettings;

describe('RetailCRM requests', () => {
  const event = popupEvent(sampleFacts(), ['150'], S.userByExtension) as CallEvent;

  it('call/event: POST form to /api/v5/telephony/call/event, X-API-KEY secret, telephony bucket', () => {
    const r = callEventRequest(S, '0367', event);
    expect(r).toMatchObject({
      method: 'POST', url: 'https://shop.retailcrm.ru/api/v5/telephony/call/event', headers: { 'X-API-KEY': 'Xk9-secret-key' },
      secrets: ['X-API-KEY'], bucket: 'telephony', what: 'telephony/call/event in codes 150',
    });
    expect(r.form?.clientId).toBe('0367');
    expect(r.json).toBeUndefined();
  });

  it('calls/upload in the telephony bucket; lookups: telephony/manager (telephony) and customers (api)', () => {
    const up = callsUploadRequest(S, '0367', planUploads([sampleFacts()], S.userByExtension).batches[0]!);
    expect(up).toMatchObject({ url: 'https://shop.retailcrm.ru/api/v5/telephony/calls/upload', bucket: 'telephony', what: 'telephony/calls/upload 1 call' });
    expect(managerRequest(S, '375291234567')).toMatchObject({ method: 'GET', bucket: 'telephony', query: { phone: '+375291234567', details: '1' } });
    expect(customersRequest(S, '375291234567')).toMatchObject({ method: 'GET', url: 'https://shop.retailcrm.ru/api/v5/customers', bucket: 'api' });
  });

  it('the limits are RetailCRM\'s: 10/s per key, 40/s on /telephony', () => {
    expect(RETAILCRM_LIMITS).toEqual({ api: { requests: 10, perMs: 1000 }, telephony: { requests: 40, perMs: 1000 } });
  });

  it('the key never shows in the masked request', () => {
    const masked = JSON.stringify(maskRequest(callEventRequest(S, '0367', event), secretValuesOf({ api_key: 'Xk9-secret-key' })));
    expect(masked).not.toContain('Xk9-secret-key');
  });
});
