import { describe, expect, it } from 'vitest';
import { ringingFacts, sampleFacts } from '../sampleFacts.js';
import { B24_OPERATION_LIMIT_WAIT_MS, classifyB24 } from './classify.js';
import { b24Date, finishParams, readCallId, readFirstEntity, registerParams, registrant, userIds, userOf, type ExternalFacts } from './mapping.js';
import { B24_METHOD, finishRequest, hideRequest, registerRequest, searchRequest } from './requests.js';
import { extensionOfUser, readBitrix24Settings, type Bitrix24Settings } from './settings.js';

const settings = readBitrix24Settings({ enabled: true, webhook_url: 'http://127.0.0.1:9/b24/rest/1/wh0ok5ecret/', user_extensions: { 11: '150', 24: '151' } }) as Bitrix24Settings;
const ext = (f: ReturnType<typeof sampleFacts>) => f as ExternalFacts;

describe('Bitrix24 settings', () => {
  it('splits the webhook into its base and secret code; reads user_extensions', () => {
    expect(settings.restBase).toBe('http://127.0.0.1:9/b24/rest/1/');
    expect(settings.code).toBe('wh0ok5ecret');
    expect(settings.crmCreate).toBe(false);
    expect(extensionOfUser(settings, '24')).toBe('151');
  });

  it('refuses what is not an inbound webhook', () => {
    expect(readBitrix24Settings({ webhook_url: 'https://portal.bitrix24.ru/' })).toMatch(/not a Bitrix24 inbound webhook/);
    expect(readBitrix24Settings({})).toMatch(/webhook_url is missing/);
    expect((readBitrix24Settings({ webhook_url: 'https://p.bitrix24.by/rest/7/abc', crm_create: true }) as Bitrix24Settings)).toMatchObject({ restBase: 'https://p.bitrix24.by/rest/7/', code: 'abc', crmCreate: true });
  });
});

describe('Bitrix24 mapping', () => {
  it('register: the first manager by user id, number, TYPE 2 inbound, start with offset, SHOW, line, our call id', () => {
    const facts = ext(ringingFacts());
    expect(registerParams(facts, settings, registrant(facts, ['150', '151'])!, true)).toEqual({
      USER_ID: 11, PHONE_NUMBER: '375291234567', TYPE: 2, CALL_START_DATE: '2026-03-05T08:00:00+00:00', CRM_CREATE: 0, SHOW: 1,
      LINE_NUMBER: '0001363', EXTERNAL_CALL_ID: '1741165200.101',
    });
  });

  it('an extension without a Bitrix24 user goes as USER_PHONE_INNER; outbound is TYPE 1; history-only registers without SHOW', () => {
    const facts = ext(ringingFacts({ direction: 'out', rung: [], caller: '160' }));
    expect(registerParams(facts, settings, registrant(facts)!, false)).toMatchObject({ USER_PHONE_INNER: '160', TYPE: 1, SHOW: 0 });
    expect(userOf(settings, '160')).toEqual({ USER_PHONE_INNER: '160' });
    expect(userIds(settings, ['151', '160', '150', '151'])).toEqual([24, 11]);
    expect(b24Date(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05+00:00');
  });

  it('finish: the manager who talked, host duration, 200; missed 304 with 0 s; busy 486', () => {
    expect(finishParams(sampleFacts(), settings, 'externalCall.1', '150')).toEqual({
      CALL_ID: 'externalCall.1', USER_ID: 24, DURATION: 95, STATUS_CODE: '200', RECORD_URL: 'https://records.example/1741165200.101.mp3',
    });
    const missed = sampleFacts({ outcome: 'missed', manager: null, talked: [], durationSec: 12, recordUrl: null });
    expect(finishParams(missed, settings, 'c', '150')).toEqual({ CALL_ID: 'c', USER_ID: 11, DURATION: 0, STATUS_CODE: '304' });
    expect(finishParams(sampleFacts({ outcome: 'busy', manager: null, talked: [] }), settings, 'c', '150').STATUS_CODE).toBe('486');
  });

  it('reads CALL_ID and the best CRM entity with its responsible user', () => {
    expect(readCallId({ result: { CALL_ID: 'externalCall.abc.1', CRM_ENTITY_TYPE: 'CONTACT' } })).toBe('externalCall.abc.1');
    const found = { result: [{ CRM_ENTITY_TYPE: 'CONTACT', CRM_ENTITY_ID: 651, ASSIGNED_BY_ID: 24, NAME: 'John Doe', ASSIGNED_BY: { ID: '24', USER_PHONE_INNER: null } }] };
    expect(readFirstEntity(found)).toEqual({ type: 'CONTACT', id: '651', name: 'John Doe', assignedId: '24' });
    expect(readFirstEntity({ result: [] })).toBeNull();
  });
});

describe('Bitrix24 requests and classify', () => {
  const res = (status: number, body: unknown = {}, headers: Record<string, string> = {}) => ({ status, body, headers, durationMs: 5 });
  const reg = registerRequest(settings, registerParams(ext(ringingFacts()), settings, '150', true));
  const fin = finishRequest(settings, finishParams(sampleFacts(), settings, 'c', '150'));

  it('POSTs JSON to <webhook><method>.json', () => {
    expect(reg.url).toBe('http://127.0.0.1:9/b24/rest/1/wh0ok5ecret/telephony.externalcall.register.json');
    expect(reg.what).toBe('telephony.externalcall.register SHOW');
    expect(searchRequest(settings, '375291234567').json).toEqual({ PHONE_NUMBER: '375291234567' });
    expect(hideRequest(settings, 'c', [11, 24]).json).toEqual({ CALL_ID: 'c', USER_ID: [11, 24] });
  });

  it('result is ok; QUERY_LIMIT_EXCEEDED waits a second; OPERATION_TIME_LIMIT waits longer', () => {
    expect(classifyB24(res(200, { result: { CALL_ID: 'x' } }), reg)).toEqual({ kind: 'ok' });
    expect(classifyB24(res(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }), reg)).toMatchObject({ kind: 'rate-limited', waitMs: 1000 });
    expect(classifyB24(res(429, { error: 'OPERATION_TIME_LIMIT' }), reg)).toMatchObject({ kind: 'rate-limited', waitMs: B24_OPERATION_LIMIT_WAIT_MS });
  });

  it('a bad webhook, a missing scope, a deleted portal: fatal, the integration flagged', () => {
    expect(classifyB24(res(401, { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' }), reg))
      .toEqual({ kind: 'fatal', auth: true, reason: 'HTTP 401: INVALID_CREDENTIALS (Invalid request credentials)' });
    expect(classifyB24(res(404, { error: 'ERROR_METHOD_NOT_FOUND' }), reg)).toMatchObject({ kind: 'fatal', auth: true });
    expect(classifyB24(res(401, { error: 'insufficient_scope' }), reg)).toMatchObject({ kind: 'fatal', auth: true });
    expect(classifyB24(res(403, { error: 'PORTAL_DELETED' }), reg)).toMatchObject({ kind: 'fatal', auth: true });
  });

  it('a method\'s own 400 is fatal; finishing a call already finished is done, with a warning', () => {
    expect(classifyB24(res(400, { error: 'ERROR_CORE', error_description: 'Unknown TYPE' }), reg)).toMatchObject({ kind: 'fatal', auth: false });
    const gone = res(400, { error: 'ERROR_CORE', error_description: 'Call is not found (call should be registered prior to finishing)' });
    expect(fin.what).toBe(B24_METHOD.finish);
    expect(classifyB24(gone, fin)).toMatchObject({ kind: 'ok', warnings: [expect.stringContaining('earlier finish')] });
    expect(classifyB24(gone, reg)).toMatchObject({ kind: 'fatal' });
  });

  it('500 and transport errors retry; an error inside a 200 is not ok', () => {
    expect(classifyB24(res(500, { error: 'INTERNAL_SERVER_ERROR' }), reg)).toMatchObject({ kind: 'retry' });
    expect(classifyB24(new Error('ECONNRESET'), reg)).toMatchObject({ kind: 'retry' });
    expect(classifyB24(res(200, { error: 'ERROR_CORE', error_description: 'x' }), reg)).toMatchObject({ kind: 'fatal' });
  });
});
