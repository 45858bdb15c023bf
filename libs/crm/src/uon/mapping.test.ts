import { describe, expect, it } from 'vitest';
import { ringingFacts, sampleFacts } from '../sampleFacts.js';
import { classifyUon } from './classify.js';
import { callHistoryForm, managersToNotify, notificationForm, notificationText, readClient, type ExternalFacts } from './mapping.js';
import { callHistoryRequest, clientByPhoneRequest, notificationRequest } from './requests.js';
import { extensionOfManager, readUonSettings, type UonSettings } from './settings.js';

const settings = readUonSettings({ enabled: true, api_key: 'K3yOfTheAccount', api_url: 'http://127.0.0.1:9/uon', user_extensions: { 7: '150', 9: '151', 12: null } }) as UonSettings;
const ext = (f: ReturnType<typeof sampleFacts>) => f as ExternalFacts;

describe('U-ON settings', () => {
  it('reads the key and maps extensions to U-ON manager ids, unassigned ones left out', () => {
    expect(settings.apiKey).toBe('K3yOfTheAccount');
    expect(settings.apiUrl).toBe('http://127.0.0.1:9/uon');
    expect([...settings.managerByExtension]).toEqual([['150', '7'], ['151', '9']]);
    expect(extensionOfManager(settings, '9')).toBe('151');
    expect(extensionOfManager(settings, '12')).toBeNull();
  });

  it('an account\'s UI address in api_url is not the API; a key with a slash is refused', () => {
    expect((readUonSettings({ api_key: 'k', api_url: 'https://id67054.u-on.ru/' }) as UonSettings).apiUrl).toBe('https://api.u-on.ru');
    expect(readUonSettings({ api_key: 'a/b' })).toMatch(/characters/);
    expect(readUonSettings({})).toMatch(/api_key/);
  });
});

describe('U-ON mapping', () => {
  it('notifies every rung manager who has a U-ON id, once each, in order', () => {
    expect(managersToNotify(settings, ['151', '160', '150', '151'])).toEqual(['9', '7']);
    expect(managersToNotify(settings, ['160'])).toEqual([]);
  });

  it('the notification says which way, the number in E.164 and the name when U-ON knows it', () => {
    expect(notificationText(ext(ringingFacts()), 'Иванов Иван')).toBe('Входящий звонок: +375291234567 — Иванов Иван');
    expect(notificationText(ext(ringingFacts({ direction: 'out' })), null)).toBe('Исходящий звонок: +375291234567');
    expect(notificationForm('t', '9')).toEqual({ text: 't', manager_id: '9' });
  });

  it('the history row: host start, host duration in s, direction 2 for inbound, the manager who talked, the recording', () => {
    expect(callHistoryForm(ext(sampleFacts()), settings)).toEqual({
      phone: '375291234567', start: '2026-03-05 11:00:00', duration: '95', direction: '2', manager_id: '9', record_link: 'https://records.example/1741165200.101.mp3',
    });
  });

  it('an outbound call is direction 1; a missed one has no manager and duration 0; no start, no row', () => {
    expect(callHistoryForm(ext(sampleFacts({ direction: 'out', manager: '150', caller: '150' })), settings)?.direction).toBe('1');
    expect(callHistoryForm(ext(sampleFacts({ outcome: 'missed', manager: null, talked: [], durationSec: 0, recordUrl: null })), settings))
      .toEqual({ phone: '375291234567', start: '2026-03-05 11:00:00', duration: '0', direction: '2' });
    expect(callHistoryForm(ext(sampleFacts({ start: null })), settings)).toBeNull();
  });

  it('reads a client: surname, name and patronymic as the name, its manager; nobody: null', () => {
    const body = { users: [{ u_id: 55, u_surname: 'Иванов', u_name: 'Иван', u_sname: '', u_email: 'i@i.by', manager_id: 9 }] };
    expect(readClient(body)).toEqual({ id: '55', name: 'Иванов Иван', email: 'i@i.by', managerId: '9' });
    expect(readClient({ users: [{ u_company: 'ООО Тур' }] })).toEqual({ name: 'ООО Тур', company: 'ООО Тур' });
    expect(readClient({ users: [] })).toBeNull();
    expect(readClient({ result: 404 })).toBeNull();
  });
});

describe('U-ON requests and classify', () => {
  const res = (status: number, body: unknown = {}, headers: Record<string, string> = {}) => ({ status, body, headers, durationMs: 5 });
  const lookup = clientByPhoneRequest(settings, '375291234567');
  const history = callHistoryRequest(settings, { phone: '1' });

  it('the key is a path segment; POSTs are form-encoded', () => {
    expect(lookup.url).toBe('http://127.0.0.1:9/uon/K3yOfTheAccount/user/phone/375291234567.json');
    expect(notificationRequest(settings, { text: 'x', manager_id: '9' })).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:9/uon/K3yOfTheAccount/notification/create.json', form: { text: 'x', manager_id: '9' } });
    expect(history.json).toBeUndefined();
  });

  it('200 with result 200 is ok; a 200 whose result is an error follows the inner code', () => {
    expect(classifyUon(res(200, { result: 200, id: 1 }), history)).toEqual({ kind: 'ok' });
    expect(classifyUon(res(200, { result: 400, message: 'phone is required' }), history)).toEqual({ kind: 'fatal', auth: false, reason: 'HTTP 400: phone is required' });
    expect(classifyUon(res(200, { result: 403, message: 'Access denied' }), history)).toMatchObject({ kind: 'fatal', auth: true });
  });

  it('a lookup that finds nobody is an answer; a bad key is fatal and flags the integration', () => {
    expect(classifyUon(res(404, { result: 404, message: 'Not found' }), lookup)).toEqual({ kind: 'ok' });
    expect(classifyUon(res(404, { result: 404 }), history)).toMatchObject({ kind: 'fatal', auth: false });
    expect(classifyUon(res(401, { result: 401, message: 'Invalid key' }), history)).toEqual({ kind: 'fatal', auth: true, reason: 'HTTP 401: Invalid key' });
  });

  it('429 waits Retry-After or a second; 5xx and timeouts retry', () => {
    expect(classifyUon(res(429, {}, { 'retry-after': '2' }), history)).toMatchObject({ kind: 'rate-limited', waitMs: 2000 });
    expect(classifyUon(res(429), history)).toMatchObject({ kind: 'rate-limited', waitMs: 1000 });
    expect(classifyUon(res(503, 'down'), history)).toMatchObject({ kind: 'retry' });
    expect(classifyUon(new Error('socket hang up'), history)).toMatchObject({ kind: 'retry' });
  });
});
