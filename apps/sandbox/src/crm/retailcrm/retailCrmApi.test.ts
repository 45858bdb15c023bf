/** The sandbox RetailCRM API v5 over HTTP, as a RetailCRM client sees it: encoding, keys, envelopes, limits, faults, records. */
import got, { type Response } from 'got';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveSandbox } from '../../../../../test/support/sandboxServer.js';
import { RetailCrmSandbox } from './retailCrmSandbox.js';

const KEY = 'rcrm-key-shop-0367';
let base: string;
let close: () => Promise<void>;
const retailcrm = new RetailCrmSandbox();

beforeAll(async () => { ({ base, close } = await serveSandbox({ retailcrm })); });
afterAll(async () => close());
beforeEach(() => {
  retailcrm.reset();
  retailcrm.setup({
    name: 'shop', apiKey: KEY,
    users: [{ id: 19, firstName: 'Анна', lastName: 'Смирнова', code: '150' }, { id: 18, firstName: 'Олег', lastName: 'Ким', code: '151' }, { id: 22, firstName: 'Ира', lastName: 'Лис' }],
    customers: [{ id: 7, firstName: 'Иван', lastName: 'Петров', email: 'ivan@mail.by', phones: [{ number: '+375 (29) 123-45-67' }], managerId: 18 }],
  });
});

type Body = Record<string, unknown>;
const opts = { throwHttpErrors: false, responseType: 'json' as const, retry: { limit: 0 } };
const api = (account = 'shop') => `${base}/retailcrm/${account}/api/v5`;
const post = (path: string, form: Record<string, string>, key: string | null = KEY, account = 'shop'): Promise<Response<Body>> =>
  got.post(`${api(account)}/${path}`, { ...opts, form, headers: key ? { 'X-API-KEY': key } : {} });
const get = (path: string, query: Record<string, string> = {}, key: string | null = KEY, account = 'shop'): Promise<Response<Body>> =>
  got.get(`${api(account)}/${path}`, { ...opts, searchParams: query, headers: key ? { 'X-API-KEY': key } : {} });
const admin = (path: string, json: unknown): Promise<Response<Body>> => got.post(`${base}/_sandbox/retailcrm/${path}`, { ...opts, json });
const screens = async (): Promise<{ account: string; managers: { userId: number; code: string | null; popups: { callKey: string; type: string; customerName?: string }[] }[]; history: Body[] }[]> =>
  got.get(`${base}/_sandbox/retailcrm/screens`).json();
const popupsOf = async (userId: number): Promise<string[]> =>
  (await screens()).find((a) => a.account === 'shop')?.managers.find((m) => m.userId === userId)?.popups.map((p) => p.callKey) ?? [];

const event = (e: Record<string, unknown>): Record<string, string> => ({ clientId: '0367', event: JSON.stringify(e) });
const ring = { phone: '+375291234567', type: 'in', codes: ['150', '151'], callExternalId: 'c-1', externalPhone: '0001363' };

describe('sandbox RetailCRM: telephony/call/event', () => {
  it('a form with event as a JSON string opens a popup on each named manager\'s screen, with the customer\'s name', async () => {
    const r = await post('telephony/call/event', event(ring));
    expect(r.statusCode).toBe(200);
    expect(r.body).toEqual({ success: true });
    const shop = (await screens())[0]!;
    expect(shop.managers.filter((m) => m.popups.length).map((m) => m.code)).toEqual(['151', '150']);
    expect(shop.managers.find((m) => m.code === '150')?.popups[0]).toMatchObject({ callKey: 'c-1', type: 'in', customerName: 'Иван Петров' });
  });

  it('the hangup closes the popup only on the screens it names', async () => {
    await post('telephony/call/event', event(ring));
    expect((await post('telephony/call/event', event({ ...ring, type: 'hangup', codes: ['150'], hangupStatus: 'answered' }))).statusCode).toBe(200);
    expect(await popupsOf(19)).toEqual([]);
    expect(await popupsOf(18)).toEqual(['c-1']);
  });

  it('codes and user ids it does not know come back as notExistCodes / notExistUsers', async () => {
    const r = await post('telephony/call/event', event({ ...ring, codes: ['150', '777'], userIds: [22, 99] }));
    expect(r.body).toEqual({ success: true, notExistCodes: ['777'], notExistUsers: [99] });
    expect(await popupsOf(22)).toEqual(['c-1']);
  });

  it('event sent as JSON body instead of a form: Parameter \'event\' is missing', async () => {
    const r = await got.post(`${api()}/telephony/call/event`, { ...opts, json: { event: ring }, headers: { 'X-API-KEY': KEY } });
    expect(r.statusCode).toBe(400);
    expect(r.body).toEqual({ success: false, errorMsg: "Parameter 'event' is missing" });
  });

  it('event as a nested form value (event[phone]=…) is refused as non-scalar', async () => {
    const r = await post('telephony/call/event', { 'event[phone]': '+375291234567', 'event[type]': 'in' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toEqual({ success: false, errorMsg: 'Input value "event" contains a non-scalar value' });
  });

  it('an ill-formed event: 400 with the fields named', async () => {
    const r = await post('telephony/call/event', event({ phone: '', type: 'ringing', codes: ['150'], hangupStatus: 'answered' }));
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatchObject({ success: false, errorMsg: 'Errors in the entity format', errors: { phone: expect.stringMatching(/\S/), type: expect.stringMatching(/\S/), hangupStatus: expect.stringMatching(/\S/) } });
    expect((await post('telephony/call/event', { event: '{not json' })).statusCode).toBe(400);
    expect((await post('telephony/call/event', event({ phone: '+375291234567', type: 'in' }))).body).toMatchObject({ errors: { codes: 'Either codes or userIds must be set.' } });
  });

  it('GET on a POST method is refused; an unknown method is 404 in the envelope', async () => {
    expect((await get('telephony/call/event')).statusCode).toBe(405);
    expect(await get('orders/nothing').then((r) => [r.statusCode, r.body])).toEqual([404, { success: false, errorMsg: 'API method not found' }]);
  });
});

describe('sandbox RetailCRM: the key', () => {
  it('no key: 401 "apiKey" is missing; another key: 401 Wrong "apiKey" value; apiKey as a parameter works too', async () => {
    expect(await get('users', {}, null).then((r) => [r.statusCode, r.body])).toEqual([401, { success: false, errorMsg: '"apiKey" is missing.' }]);
    expect(await get('users', {}, 'other').then((r) => [r.statusCode, r.body])).toEqual([401, { success: false, errorMsg: 'Wrong "apiKey" value.' }]);
    expect((await get('users', { apiKey: KEY }, null)).statusCode).toBe(200);
  });

  it('an account never set up takes the first key it sees, then refuses any other', async () => {
    expect((await get('users', {}, 'first-key', 'fresh')).statusCode).toBe(200);
    expect((await get('users', {}, 'second-key', 'fresh')).statusCode).toBe(401);
    expect((await get('users', {}, 'first-key', 'fresh')).statusCode).toBe(200);
  });
});

describe('sandbox RetailCRM: telephony/calls/upload', () => {
  const call = (i: number, over: Record<string, unknown> = {}) => ({
    date: '2026-03-05 11:00:00', type: 'in', phone: '375291234567', code: '151', result: 'answered', duration: 95, externalId: `c-${i}`, ...over,
  });

  it('stores each call once: a second upload of the same externalId is reported in duplicateCalls', async () => {
    const r = await post('telephony/calls/upload', { clientId: '0367', calls: JSON.stringify([call(1), call(2)]) });
    expect(r.body).toEqual({ success: true, processedCallsCount: 2 });
    const again = await post('telephony/calls/upload', { clientId: '0367', calls: JSON.stringify([call(2), call(3)]) });
    expect(again.body).toEqual({ success: true, processedCallsCount: 1, duplicateCalls: ['c-2'] });
    const history = (await screens())[0]!.history;
    expect(history.map((h) => h.externalId)).toEqual(['c-3', 'c-2', 'c-1']);
    expect(history[0]).toMatchObject({ managerName: 'Олег Ким', userId: 18, result: 'answered', duration: 95 });
  });

  it('at most 50 calls a request', async () => {
    expect((await post('telephony/calls/upload', { calls: JSON.stringify(Array.from({ length: 50 }, (_, i) => call(i))) })).statusCode).toBe(200);
    const r = await post('telephony/calls/upload', { calls: JSON.stringify(Array.from({ length: 51 }, (_, i) => call(100 + i))) });
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatchObject({ errors: { calls: 'This collection should contain 50 elements or less.' } });
  });

  it('a date not in "Y-m-d H:i:s", a type or result outside the enum: 400 naming the call and field', async () => {
    const r = await post('telephony/calls/upload', { calls: JSON.stringify([call(1, { date: '2026-03-05T11:00:00Z' }), call(2, { type: 'internal', result: 'missed' })]) });
    expect(r.statusCode).toBe(400);
    expect(Object.keys((r.body.errors ?? {}) as Body)).toEqual(['calls[0].date', 'calls[1].type', 'calls[1].result']);
  });
});

describe('sandbox RetailCRM: lookups and the integration module', () => {
  it('telephony/manager: the customer\'s manager with their code, the customer and links with details=1', async () => {
    const r = await get('telephony/manager', { phone: '+375291234567', details: '1' });
    expect(r.body).toMatchObject({ success: true, manager: { id: 18, firstName: 'Олег', code: '151' }, customer: { id: 7, firstName: 'Иван' }, links: { customerLink: `${api().replace('/api/v5', '')}/customers/7` } });
    expect((await get('telephony/manager', { phone: '+375290000000' })).body).toEqual({ success: true });
    expect((await get('telephony/manager')).statusCode).toBe(400);
  });

  it('customers: filter[name] matches a phone; limit other than 20/50/100 is refused', async () => {
    const r = await get('customers', { 'filter[name]': '375291234567', limit: '20' });
    expect(r.body).toMatchObject({ success: true, pagination: { limit: 20, totalCount: 1 }, customers: [{ id: 7, lastName: 'Петров' }] });
    expect((await get('customers', { 'filter[name]': 'nobody' })).body).toMatchObject({ customers: [] });
    expect((await get('customers', { limit: '10' })).statusCode).toBe(400);
  });

  it('users lists the account\'s managers with pagination', async () => {
    expect((await get('users')).body).toMatchObject({ success: true, pagination: { totalCount: 3 }, users: [{ id: 18, code: '151' }, { id: 19, code: '150' }, { id: 22 }] });
  });

  it('integration-modules edit: integrationModule as a JSON string; a non-SVG logo and a blank baseUrl are refused; additionalCodes become the known codes', async () => {
    const module = { code: 'vochi-telephony', integrationCode: 'vochi-telephony', active: true, name: 'Vochi-CRM', clientId: '0367', logo: 'https://x/logo.jpg', baseUrl: '' };
    const bad = await post('integration-modules/vochi-telephony/edit', { integrationModule: JSON.stringify(module) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatchObject({ errors: { logo: 'Logo image must be svg', baseUrl: 'This value should not be blank.' } });
    const nested = await post('integration-modules/vochi-telephony/edit', { 'integrationModule[code]': 'vochi-telephony' });
    expect(nested.body).toEqual({ success: false, errorMsg: 'Input value "integrationModule" contains a non-scalar value' });

    const good = { ...module, logo: 'https://x/logo.svg', baseUrl: 'https://pbx.example', integrations: { telephony: { makeCallUrl: 'https://pbx.example/make-call', additionalCodes: [{ userId: 22, code: '152' }] } } };
    const created = await post('integration-modules/vochi-telephony/edit', { integrationModule: JSON.stringify(good) });
    expect([created.statusCode, created.body]).toEqual([201, { success: true }]);
    expect((await post('integration-modules/vochi-telephony/edit', { integrationModule: JSON.stringify(good) })).statusCode).toBe(200);
    expect((await get('integration-modules/vochi-telephony')).body).toMatchObject({ success: true, integrationModule: { name: 'Vochi-CRM', integrations: { telephony: { additionalCodes: [{ userId: 22, code: '152' }] } } } });
    // 152 is now a code; 150 no longer is (additionalCodes replaced the list).
    expect((await post('telephony/call/event', event({ ...ring, codes: ['152', '150'] }))).body).toEqual({ success: true, notExistCodes: ['150'] });
  });
});

describe('sandbox RetailCRM: limits', () => {
  // A frozen clock: no token comes back between requests, however slow the machine.
  beforeEach(() => {
    const frozen = Date.now();
    retailcrm.clock = () => frozen;
  });

  it('10 requests/s per key: the 11th in the same instant is 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await get('users')).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
    const last = await get('users');
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(last.body).toMatchObject({ success: false });
  });

  it('/telephony has its own 40/s: telephony requests pass while the general bucket is empty', async () => {
    for (let i = 0; i < 10; i += 1) await get('users');
    expect((await get('users')).statusCode).toBe(429);
    const tel = await Promise.all(Array.from({ length: 30 }, () => get('telephony/manager', { phone: '+375291234567' })));
    expect(tel.every((r) => r.statusCode === 200)).toBe(true);
  });

  it('another key has its own buckets', async () => {
    retailcrm.setup({ name: 'other', apiKey: 'k2' });
    for (let i = 0; i < 11; i += 1) await get('users');
    expect((await get('users', {}, 'k2', 'other')).statusCode).toBe(200);
  });
});

describe('sandbox RetailCRM: faults on command', () => {
  it('down: a proxy\'s bare 503 page, no Retry-After; the account behind it is untouched', async () => {
    await admin('faults', { account: 'shop', down: true });
    const r = await got.post(`${api()}/telephony/call/event`, { throwHttpErrors: false, form: event(ring), headers: { 'X-API-KEY': KEY } });
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBeUndefined();
    expect(r.body).toContain('503 Service Temporarily Unavailable');
    expect(await popupsOf(19)).toEqual([]);
    await admin('faults', { account: 'shop', down: false });
    expect((await post('telephony/call/event', event(ring))).statusCode).toBe(200);
  });

  it('a fault on one account leaves the others answering', async () => {
    retailcrm.setup({ name: 'other', apiKey: 'k2' });
    await admin('faults', { account: 'shop', down: true });
    expect((await get('users')).statusCode).toBe(503);
    expect((await get('users', {}, 'k2', 'other')).statusCode).toBe(200);
  });

  it('next429 / next503: exactly the next N answered with Retry-After, then normal', async () => {
    await admin('faults', { next429: 1, next503: 1, retryAfterSec: 7 });
    const a = await get('users');
    const b = await get('users');
    const c = await get('users');
    expect([a.statusCode, a.headers['retry-after']]).toEqual([503, '7']);
    expect([b.statusCode, b.headers['retry-after']]).toEqual([429, '7']);
    expect(c.statusCode).toBe(200);
  });

  it('unauthorized: every request 401 Wrong "apiKey" value, even with the right key', async () => {
    await admin('faults', { unauthorized: true });
    expect(await get('users').then((r) => [r.statusCode, r.body])).toEqual([401, { success: false, errorMsg: 'Wrong "apiKey" value.' }]);
  });

  it('slow: the answer comes after delayMs', async () => {
    await admin('faults', { delayMs: 400 });
    const t0 = Date.now();
    expect((await get('users')).statusCode).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
  });

  it('refuses an unknown fault or a bad value', async () => {
    expect((await admin('faults', { explode: true })).statusCode).toBe(400);
    expect((await admin('faults', { delayMs: -1 })).statusCode).toBe(400);
  });
});

describe('sandbox RetailCRM: the record of requests', () => {
  it('records every request with its path, status, key state and parsed fields, never the key', async () => {
    await post('telephony/call/event', event(ring));
    await get('users', {}, 'wrong');
    const log = await got.get(`${base}/_sandbox/retailcrm/requests?account=shop`).json<Body[]>();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ method: 'POST', path: 'telephony/call/event', status: 200, apiKey: 'ok', params: { clientId: '0367', event: ring } });
    expect(log[1]).toMatchObject({ method: 'GET', path: 'users', status: 401, apiKey: 'wrong' });
    expect(JSON.stringify(log)).not.toContain(KEY);
  });
});
