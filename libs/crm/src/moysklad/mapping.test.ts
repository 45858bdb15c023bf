import { describe, expect, it } from 'vitest';
import { CrmTransportError } from '../http/transportError.js';
import { ringingFacts, sampleFacts } from '../sampleFacts.js';
import { classifyMs, msErrorText } from './classify.js';
import {
  CLOSE_SEQUENCE, extensionOfEmployee, finishUpdate, hideAllEvent, idFromHref, msTime, newCall, readCallId, readCounterparty, readEmployees,
  showEvents, wholeCall,
} from './mapping.js';
import { counterpartyRequest, createCallRequest, employeesRequest, MS_WHAT, updateCallRequest } from './requests.js';
import { readMsSettings, type MsSettings } from './settings.js';

const settings = readMsSettings({
  enabled: true, integration_code: 'phone-key-0123456789', api_token: 'json-token-abcdef',
  phone_api_url: 'http://127.0.0.1:9/ms/api/phone/1.0/', api_url: 'http://127.0.0.1:9/ms/api/remap/1.2',
  employee_mapping: { 151: { name: 'Тимлидовый С.', employee_id: '7af8c227-87d4-11f0-0a80-03f20007fada' } },
}) as MsSettings;
const external = (f: ReturnType<typeof sampleFacts>) => f as ReturnType<typeof sampleFacts> & { direction: 'in' | 'out'; customerPhone: string };

describe('MoySklad settings', () => {
  it('takes the Phone API key from integration_code and the JSON API token from api_token, URLs without trailing slashes', () => {
    expect(settings.phoneKey).toBe('phone-key-0123456789');
    expect(settings.jsonToken).toBe('json-token-abcdef');
    expect(settings.phoneApiUrl).toBe('http://127.0.0.1:9/ms/api/phone/1.0');
    expect(settings.employeeByExtension.get('151')).toBe('7af8c227-87d4-11f0-0a80-03f20007fada');
  });

  it('an old config with only api_token uses it for the Phone API and makes no lookups; no key at all says what is missing', () => {
    const old = readMsSettings({ enabled: true, api_token: 'cd5134fa' }) as MsSettings;
    expect(old.phoneKey).toBe('cd5134fa');
    expect(old.jsonToken).toBeNull();
    expect(old.phoneApiUrl).toBe('https://api.moysklad.ru/api/phone/1.0');
    expect(readMsSettings({ enabled: true })).toMatch(/integration_code/);
  });
});

describe('MoySklad mapping', () => {
  it('a ringing inbound call is created with the customer in E.164, host start time with milliseconds, a SHOW per manager rung and no manager yet', () => {
    const facts = external(ringingFacts());
    const body = newCall(facts, showEvents(facts, ['150', '151'], settings));
    expect(body).toEqual({
      externalId: '1741165200.101', number: '+375291234567', isIncoming: true, startTime: '2026-03-05 11:00:00.000',
      events: [
        { eventType: 'SHOW', extension: '150', sequence: 1 },
        {
          eventType: 'SHOW', extension: '151', sequence: 2,
          employee: { meta: { href: 'http://127.0.0.1:9/ms/api/remap/1.2/entity/employee/7af8c227-87d4-11f0-0a80-03f20007fada', type: 'employee', mediaType: 'application/json' } },
        },
      ],
    });
    expect(body).not.toHaveProperty('extension');
  });

  it('an outbound call is not incoming', () => {
    const facts = external(ringingFacts({ direction: 'out', rung: ['150'], caller: '150' }));
    expect(newCall(facts, [])?.isIncoming).toBe(false);
  });

  it('a SHOW keeps its sequence whatever batch it is sent in, and the close is above every SHOW', () => {
    const facts = ringingFacts({ rung: ['150', '151', '152'] });
    expect(showEvents(facts, ['152'], settings)[0]?.sequence).toBe(3);
    expect(showEvents(facts, ['152', '152'], settings)).toHaveLength(1);
    expect(showEvents(facts, ['160'], settings)[0]?.sequence).toBe(4);
    expect(hideAllEvent()).toEqual({ eventType: 'HIDE_ALL', sequence: CLOSE_SEQUENCE });
    expect(CLOSE_SEQUENCE).toBeGreaterThan(1000);
  });

  it('the finish carries host end time, host duration in ms, the recording as a list, the manager who talked and the outcome', () => {
    expect(finishUpdate(sampleFacts(), settings)).toEqual({
      extension: '151',
      employee: { meta: { href: 'http://127.0.0.1:9/ms/api/remap/1.2/entity/employee/7af8c227-87d4-11f0-0a80-03f20007fada', type: 'employee', mediaType: 'application/json' } },
      endTime: '2026-03-05 11:01:35.000', duration: 95_000, recordUrl: ['https://records.example/1741165200.101.mp3'], comment: 'Разговор',
    });
  });

  it('a missed call finishes with no manager, zero duration and no recording', () => {
    const missed = sampleFacts({ outcome: 'missed', talked: [], manager: null, durationSec: 0, recordUrl: null });
    expect(finishUpdate(missed, settings)).toEqual({ endTime: '2026-03-05 11:01:35.000', duration: 0, comment: 'Пропущенный' });
  });

  it('a call MoySklad never heard of goes in whole: created and finished in one body, without events', () => {
    const body = wholeCall(external(sampleFacts()), settings);
    expect(body).toMatchObject({ externalId: '1741165200.101', number: '+375291234567', startTime: '2026-03-05 11:00:00.000', endTime: '2026-03-05 11:01:35.000', duration: 95_000, extension: '151' });
    expect(body).not.toHaveProperty('events');
  });

  it('no time at all: no body', () => {
    expect(newCall(external(ringingFacts({ start: null })), [])).toBeNull();
    expect(msTime('2026-03-05 11:00:00.250')).toBe('2026-03-05 11:00:00.250');
  });
});

describe('MoySklad answers', () => {
  it('reads a counterparty with its owner, and nothing from an empty search', () => {
    const body = { meta: { size: 1 }, rows: [{ id: 'c-1', name: 'ООО Ромашка', phone: '+375 29 123-45-67', email: 'a@b.by', owner: { meta: { href: 'https://api.moysklad.ru/api/remap/1.2/entity/employee/e-9', type: 'employee' } } }] };
    expect(readCounterparty(body)).toEqual({ id: 'c-1', name: 'ООО Ромашка', phone: '+375 29 123-45-67', email: 'a@b.by', ownerId: 'e-9' });
    expect(readCounterparty({ rows: [] })).toBeNull();
    expect(readCounterparty('nope')).toBeNull();
  });

  it('reads employees in either list field and their extension in MoySklad\'s spelling; maps an employee back to an extension', () => {
    const body = { employees: [{ meta: { href: 'https://x/entity/employee/e-1' }, extention: '150' }, { meta: { href: 'https://x/entity/employee/e-2' } }] };
    expect(readEmployees(body)).toEqual([{ id: 'e-1', extension: '150' }]);
    expect(readEmployees({ rows: [{ meta: { href: 'https://x/entity/employee/e-3/' }, extention: '152' }] })).toEqual([{ id: 'e-3', extension: '152' }]);
    expect(extensionOfEmployee('7af8c227-87d4-11f0-0a80-03f20007fada', settings)).toBe('151');
    expect(extensionOfEmployee('e-1', settings, readEmployees(body))).toBe('150');
    expect(extensionOfEmployee('e-404', settings, [])).toBeNull();
    expect(idFromHref('https://x/entity/employee/e-1?expand=x')).toBe('e-1');
    expect(readCallId({ id: 'abc' })).toBe('abc');
  });
});

describe('MoySklad requests', () => {
  it('Phone API requests carry the key header (named secret), JSON, the phone bucket; updates address the call by externalId', () => {
    const create = createCallRequest(settings, newCall(external(ringingFacts()), [])!);
    expect(create).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:9/ms/api/phone/1.0/call', bucket: 'phone' });
    expect(create.headers?.['Lognex-Phone-Auth-Token']).toBe('phone-key-0123456789');
    expect(create.secrets).toContain('Lognex-Phone-Auth-Token');
    const upd = updateCallRequest(settings, 'a/b', { events: [hideAllEvent()] }, MS_WHAT.hide);
    expect(upd).toMatchObject({ method: 'PUT', url: 'http://127.0.0.1:9/ms/api/phone/1.0/call/extid/a%2Fb', what: MS_WHAT.hide });
    expect(employeesRequest(settings, '101').query).toEqual({ filter: 'extention=101' });
  });

  it('the counterparty search uses the Bearer token, gzip and the JSON API bucket', () => {
    const r = counterpartyRequest({ ...settings, jsonToken: 'json-token-abcdef' }, '375291234567');
    expect(r.headers).toMatchObject({ Authorization: 'Bearer json-token-abcdef', 'Accept-Encoding': 'gzip' });
    expect(r).toMatchObject({ query: { search: '375291234567', limit: '1' }, bucket: 'json' });
    expect(r.secrets).toContain('Authorization');
  });
});

describe('MoySklad classify', () => {
  const res = (status: number, body: unknown = {}, headers: Record<string, string> = {}) => ({ status, body, headers, durationMs: 5 });
  const create = createCallRequest(settings, newCall(external(ringingFacts()), [])!);
  const hide = updateCallRequest(settings, 'x', {}, MS_WHAT.hide);

  it('2xx is ok; a 404 of a call update by externalId is the adapter\'s to read, of anything else fatal', () => {
    expect(classifyMs(res(200), create)).toEqual({ kind: 'ok' });
    expect(classifyMs(res(204, ''), hide)).toEqual({ kind: 'ok' });
    expect(classifyMs(res(404, { errors: [{ error: 'not found', code: 1021 }] }), hide)).toEqual({ kind: 'ok' });
    expect(classifyMs(res(404, { errors: [{ error: 'not found', code: 1021 }] }), create)).toMatchObject({ kind: 'fatal', auth: false });
  });

  it('401 and 403 are fatal and flag the integration, with MoySklad\'s error text', () => {
    const v = classifyMs(res(401, { errors: [{ error: 'Ошибка аутентификации', code: 1056 }] }), create);
    expect(v).toEqual({ kind: 'fatal', auth: true, reason: 'HTTP 401: 1056: Ошибка аутентификации' });
    expect(classifyMs(res(403, { errors: [{ error: 'Не установлено решение', code: 55008 }] }), create)).toMatchObject({ kind: 'fatal', auth: true });
  });

  it('400 and 412 are fatal without flagging auth; the parameter is named', () => {
    expect(classifyMs(res(412, { errors: [{ error: 'Поле не может быть пустым', code: 3000, parameter: 'number' }] }), create))
      .toEqual({ kind: 'fatal', auth: false, reason: 'HTTP 412: 3000: Поле не может быть пустым (number)' });
  });

  it('429 waits X-Lognex-Retry-After (ms), else Retry-After, else the limit window', () => {
    expect(classifyMs(res(429, {}, { 'x-lognex-retry-after': '1500' }), create)).toMatchObject({ kind: 'rate-limited', waitMs: 1500 });
    expect(classifyMs(res(429, {}, { 'retry-after': '3' }), create)).toMatchObject({ kind: 'rate-limited', waitMs: 3000 });
    expect(classifyMs(res(429), create)).toMatchObject({ kind: 'rate-limited', waitMs: 5000 });
  });

  it('5xx and transport errors are retried', () => {
    expect(classifyMs(res(502, '<html>bad gateway</html>'), create)).toMatchObject({ kind: 'retry' });
    expect(classifyMs(new CrmTransportError('timeout', 'no answer in 2500 ms'), create)).toEqual({ kind: 'retry', reason: 'timeout: no answer in 2500 ms' });
    expect(msErrorText('plain')).toBe('plain');
  });
});
