import { describe, expect, it } from 'vitest';
import { loggedBody, maskRequest, secretValuesOf } from './maskRequest.js';

describe('maskRequest', () => {
  it('masks the named header, query and form fields', () => {
    const out = maskRequest({
      method: 'POST', url: 'https://demo.retailcrm.ru/api/v5/telephony/call/event', what: 'call/event in',
      headers: { 'X-API-KEY': 'k3y-very-secret' }, query: { apiKey: 'k3y-very-secret', limit: '20' },
      form: { clientId: '0367', event: '{"phone":"+375291234567"}' }, secrets: ['X-API-KEY', 'apiKey'],
    }, []);
    expect(out.headers).toEqual({ 'X-API-KEY': '***' });
    expect(out.query).toEqual({ apiKey: '***', limit: '20' });
    expect(out.form).toEqual({ clientId: '0367', event: '{"phone":"+375291234567"}' });
    expect(JSON.stringify(out)).not.toContain('k3y-very-secret');
  });

  it('masks an account key wherever it appears: in the URL path and inside JSON bodies', () => {
    const secrets = secretValuesOf({ enabled: true, api_key: 'uonKEY12345', domain: 'https://x.example' });
    expect(secrets).toEqual(['uonKEY12345']);
    const out = maskRequest({
      method: 'POST', url: 'https://api.u-on.ru/uonKEY12345/call_history/create.json', what: 'call_history',
      json: { note: 'key uonKEY12345 inside' },
    }, secrets);
    expect(out.url).toBe('https://api.u-on.ru/***/call_history/create.json');
    expect(out.json).toEqual({ note: 'key *** inside' });
  });

  it('keeps settings that are not secrets visible', () => {
    expect(secretValuesOf({ domain: 'https://demo.retailcrm.ru', api_token: 'tok-123456', webhook_url: 'https://h.example/abc' }).sort())
      .toEqual(['https://h.example/abc', 'tok-123456']);
  });
});

describe('loggedBody', () => {
  it('masks and cuts a long answer', () => {
    const body = { success: true, echo: 'uonKEY12345', pad: 'x'.repeat(100) };
    expect(loggedBody(body, ['uonKEY12345'])).toEqual({ ...body, echo: '***' });
    expect(loggedBody(body, [], 20)).toEqual({ truncated: true, text: JSON.stringify(body).slice(0, 20) });
    expect(loggedBody(undefined, [])).toBeNull();
  });
});
