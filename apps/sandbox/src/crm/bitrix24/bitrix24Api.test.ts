/** The sandbox Bitrix24 over HTTP, as a REST client with an inbound webhook sees it: credentials, methods, cards, limits, faults. */
import got, { type Response } from 'got';
import { describe, expect, it } from 'vitest';
import type { MoreCrms } from '../moreCrms.js';
import { opts, serveCrmSandbox, type Body } from '../common/testServer.js';

let base: string;
let crms: MoreCrms;

serveCrmSandbox((s) => { ({ base, crms } = s); }, 'bitrix24', () => ({
  name: 'portal', webhookUser: '1', code: 'wh0ok', autoUsers: false,
  users: [{ id: 11, name: 'Анна', innerPhone: '150' }, { id: 24, name: 'Олег', innerPhone: '151' }],
  entities: [{ type: 'CONTACT', id: 651, name: 'John Doe', phone: '+375291234567', assignedId: 24 }],
}));

const call = (method: string, json: unknown, code = 'wh0ok'): Promise<Response<Body>> => got.post(`${base}/b24/portal/rest/1/${code}/${method}.json`, { ...opts, json });
const screens = async (): Promise<{ managers: { id: string; popups: { key: string; detail?: string }[] }[]; history: Body[] }[]> => got.get(`${base}/_sandbox/bitrix24/screens`).json();
const cardsOf = async (user: string): Promise<string[]> => (await screens())[0]?.managers.find((m) => m.id === user)?.popups.map((p) => p.key) ?? [];
const reg = { USER_ID: 11, PHONE_NUMBER: '375291234567', TYPE: 2, CALL_START_DATE: '2026-03-05T08:00:00+00:00', SHOW: 1, EXTERNAL_CALL_ID: 'u-1' };

describe('sandbox Bitrix24 telephony', () => {
  it('another webhook code is INVALID_CREDENTIALS, an unknown method ERROR_METHOD_NOT_FOUND', async () => {
    const r = await call('telephony.externalcall.register', reg, 'wrong');
    expect([r.statusCode, r.body.error]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect((await call('crm.lead.add', {})).body).toMatchObject({ error: 'ERROR_METHOD_NOT_FOUND' });
  });

  it('searchCrmEntities finds the contact and its responsible user with the inner phone', async () => {
    const r = await call('telephony.externalCall.searchCrmEntities', { PHONE_NUMBER: '375291234567' });
    expect(r.body).toMatchObject({ result: [{ CRM_ENTITY_TYPE: 'CONTACT', NAME: 'John Doe', ASSIGNED_BY_ID: 24, ASSIGNED_BY: { USER_PHONE_INNER: '151' } }], time: expect.objectContaining({ date_start: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), date_finish: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }) });
  });

  it('register with SHOW opens the card, the same call again gets the same CALL_ID; show/hide add and take down cards', async () => {
    const a = await call('telephony.externalcall.register', reg);
    const b = await call('telephony.externalcall.register', reg);
    const id = (a.body.result as { CALL_ID: string }).CALL_ID;
    expect((b.body.result as { CALL_ID: string }).CALL_ID).toBe(id);
    expect(await cardsOf('11')).toEqual([id]);
    await call('telephony.externalcall.show', { CALL_ID: id, USER_ID: [24] });
    expect(await cardsOf('24')).toEqual([id]);
    await call('telephony.externalcall.hide', { CALL_ID: id, USER_ID: [11, 24] });
    expect([await cardsOf('11'), await cardsOf('24')]).toEqual([[], []]);
    expect((await call('telephony.externalcall.hide', { CALL_ID: 'nope', USER_ID: 11 })).body).toMatchObject({ result: false });
  });

  it('register checks its parameters as Bitrix24 does', async () => {
    expect((await call('telephony.externalcall.register', { ...reg, USER_ID: undefined })).body).toMatchObject({ error: 'ERROR_CORE', error_description: 'USER_ID or USER_PHONE_INNER should be set' });
    expect((await call('telephony.externalcall.register', { ...reg, TYPE: 9 })).body).toMatchObject({ error_description: 'Unknown TYPE' });
    expect((await call('telephony.externalcall.register', { ...reg, CALL_START_DATE: '2026-03-05 11:00:00' })).body).toMatchObject({ error_description: 'CALL_START_DATE should be in the ISO-8601 format' });
    expect((await call('telephony.externalcall.register', { ...reg, USER_ID: 99 })).body).toMatchObject({ error_description: 'User is not found or is not active' });
  });

  it('finish writes the call into the history once; finishing it again is "Call is not found"', async () => {
    const id = ((await call('telephony.externalcall.register', reg)).body.result as { CALL_ID: string }).CALL_ID;
    const fin = await call('telephony.externalcall.finish', { CALL_ID: id, USER_ID: 24, DURATION: 95, STATUS_CODE: '200', RECORD_URL: 'https://rec/1.mp3' });
    expect(fin.body).toMatchObject({ result: { CALL_ID: id, CALL_DURATION: 95, CALL_FAILED_CODE: '200', PORTAL_USER_ID: 24 } });
    expect((await screens())[0]?.history).toEqual([expect.objectContaining({ key: id, manager: 'Олег (151)', durationSec: 95, result: '200 успешный звонок' })]);
    const again = await call('telephony.externalcall.finish', { CALL_ID: id, USER_ID: 24, DURATION: 95 });
    expect([again.statusCode, again.body.error_description]).toEqual([400, 'Call is not found (call should be registered prior to finishing)']);
  });

  it('a full bucket answers 503 QUERY_LIMIT_EXCEEDED; faults on command in Bitrix24\'s envelope', async () => {
    await got.post(`${base}/_sandbox/bitrix24/limits`, { json: { requests: 2, perMs: 1000, burst: 2 } });
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await call('telephony.externalCall.searchCrmEntities', { PHONE_NUMBER: '1234567' })).body.error ?? 'ok');
    expect(codes).toEqual(['ok', 'ok', 'QUERY_LIMIT_EXCEEDED']);
    crms.bitrix24.reset();
    await got.post(`${base}/_sandbox/bitrix24/faults`, { json: { next429: 1, next503: 1, retryAfterSec: 4 } });
    const first = await call('telephony.externalCall.searchCrmEntities', { PHONE_NUMBER: '1234567' });
    const second = await call('telephony.externalCall.searchCrmEntities', { PHONE_NUMBER: '1234567' });
    expect([first.statusCode, first.body.error, first.headers['retry-after'], second.statusCode, second.body.error]).toEqual([503, 'QUERY_LIMIT_EXCEEDED', '4', 429, 'OPERATION_TIME_LIMIT']);
    await got.post(`${base}/_sandbox/bitrix24/faults`, { json: { unauthorized: true } });
    expect((await call('telephony.externalCall.searchCrmEntities', { PHONE_NUMBER: '1234567' })).statusCode).toBe(401);
  });
});
