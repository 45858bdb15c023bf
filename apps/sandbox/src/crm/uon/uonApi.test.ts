/** The sandbox U-ON over HTTP, as a U-ON client sees it: the key in the path, form bodies, lookups, notifications, history, limits, faults. */
import got, { type Response } from 'got';
import { describe, expect, it } from 'vitest';
import type { MoreCrms } from '../moreCrms.js';
import { opts, serveCrmSandbox, type Body } from '../common/testServer.js';

const KEY = 'uonKey0367abc';
let base: string;
let crms: MoreCrms;

serveCrmSandbox((s) => { ({ base, crms } = s); }, 'uon', () => ({
  name: 'tours', key: KEY, autoManagers: false,
  managers: [{ id: '7', name: 'Анна', extension: '150' }, { id: '9', name: 'Олег', extension: '151' }],
  clients: [{ id: '55', surname: 'Иванов', name: 'Иван', phone: '+375291234567', email: 'i@i.by', managerId: '9' }],
}));

const url = (p: string, key = KEY) => `${base}/uon/tours/${key}/${p}.json`;
const post = (p: string, form: Record<string, string>, key = KEY): Promise<Response<Body>> => got.post(url(p, key), { ...opts, form });
const screens = async (): Promise<{ managers: { id: string; popups: { title: string }[] }[]; history: Body[] }[]> => got.get(`${base}/_sandbox/uon/screens`).json();

describe('sandbox U-ON', () => {
  it('finds a client by phone with their manager; nobody is 404; another key is refused', async () => {
    const found = await got.get(url('user/phone/375291234567'), opts);
    expect(found.body).toMatchObject({ users: [{ u_id: 55, u_surname: 'Иванов', u_name: 'Иван', manager_id: 9 }] });
    expect((await got.get(url('user/phone/375440000000'), opts)).statusCode).toBe(404);
    const wrong = await got.get(url('user/phone/375291234567', 'other'), opts);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toMatchObject({ result: 403 });
  });

  it('a notification lands on the manager\'s screen; an unknown manager or a JSON body is refused', async () => {
    const ok = await post('notification/create', { text: 'Входящий звонок: +375291234567 — Иванов Иван', manager_id: '9' });
    expect(ok.body).toMatchObject({ result: 200 });
    expect(Number.isInteger((ok.body as { id?: unknown }).id)).toBe(true);
    expect((await screens())[0]?.managers.find((m) => m.id === '9')?.popups.map((p) => p.title)).toEqual(['Входящий звонок: +375291234567 — Иванов Иван']);
    expect((await post('notification/create', { text: 'x', manager_id: '12' })).statusCode).toBe(400);
    const json = await got.post(url('notification/create'), { ...opts, json: { text: 'x', manager_id: '9' } });
    expect(json.statusCode).toBe(400);
    expect(json.body).toMatchObject({ message: 'text is required' });
  });

  it('call_history/create checks start, direction and duration and fills the history', async () => {
    expect((await post('call_history/create', { phone: '375291234567', start: '05.03.2026', direction: '2' })).statusCode).toBe(400);
    expect((await post('call_history/create', { phone: '375291234567', start: '2026-03-05 11:00:00', direction: 'in' })).statusCode).toBe(400);
    const ok = await post('call_history/create', { phone: '375291234567', start: '2026-03-05 11:00:00', duration: '95', direction: '2', manager_id: '9', record_link: 'https://rec/1.mp3' });
    expect(ok.statusCode).toBe(200);
    expect((await screens())[0]?.history).toEqual([expect.objectContaining({ date: '2026-03-05 11:00:00', direction: 'in', durationSec: 95, manager: 'Олег (9)', recordUrl: 'https://rec/1.mp3' })]);
  });

  it('5 requests a second per key, then 429 with Retry-After; faults on command', async () => {
    expect(await got.get(`${base}/_sandbox/uon/limits`).json()).toEqual({ requests: 5, perMs: 1000 });
    // The same 5, spread over a minute, so a slow machine cannot refill the bucket mid-test.
    await got.post(`${base}/_sandbox/uon/limits`, { json: { perMs: 60_000 } });
    const codes: number[] = [];
    for (let i = 0; i < 6; i += 1) codes.push((await got.get(url('manager'), opts)).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    crms.uon.reset();
    await got.post(`${base}/_sandbox/uon/faults`, { json: { next429: 1, retryAfterSec: 3 } });
    const limited = await got.get(url('manager'), opts);
    expect([limited.statusCode, limited.headers['retry-after']]).toEqual([429, '3']);
    await got.post(`${base}/_sandbox/uon/faults`, { json: { unauthorized: true } });
    expect((await got.get(url('manager'), opts)).statusCode).toBe(403);
    await got.post(`${base}/_sandbox/uon/faults`, { json: { unauthorized: false, delayMs: 300 } });
    const t0 = Date.now();
    await got.get(url('manager'), opts);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });
});
