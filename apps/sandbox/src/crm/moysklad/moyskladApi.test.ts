/** The sandbox MoySklad over HTTP, as a Phone API / JSON API client sees it: keys, bodies, card events, limits, faults, records. */
import got, { type Response } from 'got';
import { describe, expect, it } from 'vitest';
import type { MoreCrms } from '../moreCrms.js';
import { opts, serveCrmSandbox, type Body } from '../common/testServer.js';

const KEY = 'ms-phone-key-0367';
let base: string;
let crms: MoreCrms;

serveCrmSandbox((s) => { ({ base, crms } = s); }, 'moysklad', () => ({
  name: 'shop', phoneKey: KEY, jsonToken: 'json-token', autoEmployees: false,
  employees: [{ id: 'e-150', name: 'Анна', extension: '150' }, { id: 'e-151', name: 'Олег', extension: '151' }],
  counterparties: [{ id: 'c-1', name: 'ООО Ромашка', phone: '+375 29 123-45-67', ownerExtension: '151' }],
}));

const phone = (p: string) => `${base}/ms/shop/api/phone/1.0/${p}`;
const hdr = (key: string | null = KEY) => (key ? { 'Lognex-Phone-Auth-Token': key } : {});
const post = (p: string, json: unknown, key: string | null = KEY): Promise<Response<Body>> => got.post(phone(p), { ...opts, json, headers: hdr(key) });
const put = (p: string, json: unknown): Promise<Response<Body>> => got.put(phone(p), { ...opts, json, headers: hdr() });
const screens = async (): Promise<{ managers: { extension: string; popups: { key: string; detail?: string }[]; recent: string[] }[]; history: Body[] }[]> =>
  got.get(`${base}/_sandbox/moysklad/screens`).json();
const cardsOn = async (ext: string): Promise<string[]> => (await screens())[0]?.managers.find((m) => m.extension === ext)?.popups.map((p) => p.key) ?? [];

const call = { externalId: 'u-1', number: '+375291234567', isIncoming: true, startTime: '2026-03-05 11:00:00.000' };
const show = (extension: string, sequence: number) => ({ eventType: 'SHOW', extension, sequence });

describe('sandbox MoySklad Phone API', () => {
  it('refuses a request without the key header or with another key, in MoySklad\'s errors envelope', async () => {
    const none = await post('call', call, null);
    expect(none.statusCode).toBe(401);
    expect(none.body).toMatchObject({ errors: [{ code: 1056 }] });
    expect((await post('call', call, 'someone-else')).statusCode).toBe(401);
    const seen = await got.get(`${base}/_sandbox/moysklad/requests?account=shop`).json<{ auth: string }[]>();
    expect(seen.map((r) => r.auth)).toEqual(['missing', 'wrong']);
  });

  it('checks bodies: a missing field is 412 naming it, a bad time 400, a body that is not JSON 400 code 2001', async () => {
    const missing = await post('call', { ...call, number: undefined });
    expect(missing.statusCode).toBe(412);
    expect(missing.body).toMatchObject({ errors: [{ code: 3000, parameter: 'number' }] });
    expect((await post('call', { ...call, startTime: '05.03.2026 11:00' })).statusCode).toBe(400);
    expect((await post('call', { ...call, events: [{ eventType: 'SHOW', sequence: 1 }] })).body).toMatchObject({ errors: [{ parameter: 'events[0].extension' }] });
    const text = await got.post(phone('call'), { ...opts, body: 'externalId=u-1', headers: { ...hdr(), 'content-type': 'application/x-www-form-urlencoded' } });
    expect(text.statusCode).toBe(400);
    expect(text.body).toMatchObject({ errors: [{ code: 2001 }] });
    expect((await post('call', { ...call, events: [show('999', 1)] })).body).toMatchObject({ errors: [{ parameter: 'extension' }] });
  });

  it('SHOW opens the card on each extension with the counterparty\'s name; HIDE_ALL closes them; a SHOW below it stays closed', async () => {
    const created = await post('call', { ...call, events: [show('150', 1), show('151', 2)] });
    expect(created.statusCode).toBe(200);
    expect(created.body).toMatchObject({ externalId: 'u-1', counterparty: { meta: { type: 'counterparty' } } });
    expect(await cardsOn('150')).toEqual(['u-1']);
    expect((await screens())[0]?.managers.find((m) => m.extension === '151')?.popups[0]?.detail).toBe('ООО Ромашка');
    expect((await put('call/extid/u-1', { events: [{ eventType: 'HIDE_ALL', sequence: 1_000_000 }] })).statusCode).toBe(200);
    expect(await cardsOn('150')).toEqual([]);
    expect(await cardsOn('151')).toEqual([]);
    // A SHOW retried after the close: accepted (204) but applies nothing.
    expect((await post('call/extid/u-1/event', show('150', 1))).statusCode).toBe(204);
    expect(await cardsOn('150')).toEqual([]);
    const m = crms.moysklad.accountsByName.get('shop')!.calls[0]!;
    expect(m.events.map((e) => `${e.eventType}:${e.sequence}:${e.applied}`)).toEqual(['SHOW:1:true', 'SHOW:2:true', 'HIDE_ALL:1000000:true', 'SHOW:1:false']);
  });

  it('the finish fills end time, duration and recording once, never overwriting them, and the call enters the history', async () => {
    await post('call', call);
    const done = { endTime: '2026-03-05 11:01:35.000', duration: 95_000, recordUrl: ['https://rec/1.mp3'], extension: '151', comment: 'Разговор' };
    expect((await put('call/extid/u-1', done)).statusCode).toBe(200);
    const again = await put('call/extid/u-1', { ...done, endTime: '2026-03-05 12:00:00.000', duration: 1 });
    expect(again.body).toMatchObject({ endTime: '2026-03-05 11:01:35.000', duration: 95_000, recordUrl: ['https://rec/1.mp3', 'https://rec/1.mp3'] });
    expect((await screens())[0]?.history).toEqual([expect.objectContaining({ key: 'u-1', manager: 'Олег (151)', durationSec: 95, result: 'Разговор', recordUrl: 'https://rec/1.mp3' })]);
    const unknown = await put('call/extid/nope', done);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toMatchObject({ errors: [{ code: 1021 }] });
  });

  it('finds an employee by extension (filter=extention=…), and a counterparty by phone through the JSON API with its owner', async () => {
    const e = await got.get(phone('employee'), { ...opts, searchParams: { filter: 'extention=151' }, headers: hdr() });
    expect(e.body).toMatchObject({ employees: [{ extention: '151', meta: { href: expect.stringMatching(/\/entity\/employee\/e-151$/) } }] });
    const remap = `${base}/ms/shop/api/remap/1.2/entity/counterparty`;
    const noGzip = await got.get(remap, { ...opts, decompress: false, searchParams: { search: '375291234567' }, headers: { Authorization: 'Bearer json-token', 'accept-encoding': 'identity' } });
    expect(noGzip.statusCode).toBe(415);
    const found = await got.get(remap, { ...opts, searchParams: { search: '375291234567' }, headers: { Authorization: 'Bearer json-token', 'Accept-Encoding': 'gzip' } });
    expect(found.body).toMatchObject({ rows: [{ id: 'c-1', name: 'ООО Ромашка', owner: { meta: { href: expect.stringMatching(/employee\/e-151$/) } } }] });
    expect((await got.get(remap, { ...opts, headers: { Authorization: 'Bearer wrong' } })).statusCode).toBe(401);
  });

  it('enforces its limit per key with 429 and X-Lognex-Retry-After, and fails on command: 429/503 with Retry-After, down, 401', async () => {
    await got.post(`${base}/_sandbox/moysklad/limits`, { json: { requests: 2, perMs: 60_000 } });
    await post('call', call);
    await post('call', call);
    const over = await post('call', call);
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['x-lognex-retry-after'])).toBeGreaterThan(1000);
    crms.moysklad.reset();
    await got.post(`${base}/_sandbox/moysklad/faults`, { json: { account: 'shop', next429: 1, next503: 1, retryAfterSec: 7 } });
    const a = await post('call', call);
    const b = await post('call', call);
    expect([a.statusCode, a.headers['retry-after'], b.statusCode, b.headers['retry-after'], b.headers['x-lognex-retry-after']]).toEqual([503, '7', 429, '7', '7000']);
    expect((await post('call', call)).statusCode).toBe(200);
    await got.post(`${base}/_sandbox/moysklad/faults`, { json: { account: 'shop', down: true } });
    const down = await got.post(phone('call'), { throwHttpErrors: false, json: call, headers: hdr() });
    expect([down.statusCode, /nginx/.test(down.body)]).toEqual([503, true]);
    await got.post(`${base}/_sandbox/moysklad/faults`, { json: { account: 'shop', down: false, unauthorized: true } });
    expect((await post('call', call)).statusCode).toBe(401);
    const faults = (await got.get(`${base}/_sandbox/moysklad/requests?account=shop`).json<{ fault?: string }[]>()).map((r) => r.fault ?? '-');
    expect(faults).toEqual(['503', '429', '-', 'down', '401']);
  });
});
