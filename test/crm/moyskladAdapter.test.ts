/**
 * The MoySklad adapter through the shared CRM executor against the sandbox MoySklad: the Phone API
 * requests it makes for a call, what the managers' screens show, the history, lookups and faults.
 */
import { describe, expect, it } from 'vitest';
import type { CrmAccount } from '@callpipe/crm';
import { employeeIdByExtension, moyskladAdapter as adapter } from '../../libs/crm/src/moysklad/index.js';
import { ringingFacts, sampleFacts } from '../../libs/crm/src/sampleFacts.js';
import { contextFor, crms, db, rejection, serveCrmsPerTest } from './adapterContext.js';

let base = '';
let enterprise = '';
let acc = '';
serveCrmsPerTest((b) => { base = b; }, (e) => {
  enterprise = e;
  acc = `ms-${enterprise}`;
  crms.moysklad.setup({
    name: acc, phoneKey: `phone-${enterprise}`, jsonToken: `json-${enterprise}`, autoEmployees: false,
    employees: [{ id: 'e-150', name: 'Анна', extension: '150' }, { id: 'e-151', name: 'Олег', extension: '151' }],
    counterparties: [{ id: 'c-1', name: 'ООО Ромашка', phone: '+375 29 123-45-67', ownerExtension: '151' }],
  });
});

const account = (over: Record<string, unknown> = {}): CrmAccount => ({
  enterprise, type: 'ms',
  settings: {
    enabled: true, integration_code: `phone-${enterprise}`, api_token: `json-${enterprise}`,
    phone_api_url: `${base}/ms/${acc}/api/phone/1.0`, api_url: `${base}/ms/${acc}/api/remap/1.2`,
    employee_mapping: { 151: { name: 'Олег', employee_id: 'e-151' } }, ...over,
  },
});
const ctx = (action: string, over: Record<string, unknown> = {}) => contextFor(adapter, account(over), action);
const requests = () => crms.moysklad.log.find({ account: acc }).map((r) => `${r.method} ${r.path} ${r.status}`);
const cards = (ext: string) => crms.moysklad.screens(acc)[0]!.managers.find((m) => m.extension === ext)!.popups.map((p) => p.key);
const call = () => crms.moysklad.accountsByName.get(acc)!.calls;

describe('MoySklad adapter against the sandbox', () => {
  it('rings: one POST /call with a SHOW per manager; a transfer adds a SHOW; the hangup HIDE_ALLs and finishes with host duration, recording and the manager who talked', async () => {
    await adapter.popup(ringingFacts({ rung: ['150'] }), ['150'], ctx('popup'));
    expect(cards('150')).toEqual(['1741165200.101']);
    await adapter.popup(ringingFacts(), ['151'], ctx('popup'));
    expect(cards('151')).toEqual(['1741165200.101']);
    await adapter.close(sampleFacts(), ctx('close'));
    expect([cards('150'), cards('151')]).toEqual([[], []]);
    await adapter.history(sampleFacts(), ctx('history'));
    expect(requests()).toEqual([
      'POST phone/call 200', 'PUT phone/call/extid/1741165200.101 200', 'PUT phone/call/extid/1741165200.101 200', 'PUT phone/call/extid/1741165200.101 200',
    ]);
    expect(call()).toHaveLength(1);
    expect(call()[0]).toMatchObject({ number: '+375291234567', isIncoming: true, startTime: '2026-03-05 11:00:00.000', endTime: '2026-03-05 11:01:35.000', duration: 95_000, extension: '151', employeeId: 'e-151', recordUrl: ['https://records.example/1741165200.101.mp3'] });
    expect(crms.moysklad.screens(acc)[0]!.history).toEqual([expect.objectContaining({ key: '1741165200.101', manager: 'Олег (151)', durationSec: 95, result: 'Разговор' })]);
  });

  it('a popup retried after the hangup does not reopen the card: its SHOW is below the HIDE_ALL', async () => {
    await adapter.popup(ringingFacts(), ['150', '151'], ctx('popup'));
    await adapter.close(sampleFacts(), ctx('close'));
    await adapter.popup(ringingFacts(), ['150', '151'], ctx('popup'));
    expect([cards('150'), cards('151')]).toEqual([[], []]);
    expect(call()).toHaveLength(1);
    expect(call()[0]!.events.filter((e) => !e.applied).map((e) => `${e.eventType}:${e.extension}`)).toEqual(['SHOW:150', 'SHOW:151']);
  });

  it('a call whose popup never went out gets its history as one whole POST; a close without a call sends the HIDE_ALL and is done', async () => {
    await adapter.close(sampleFacts(), ctx('close'));
    await adapter.history(sampleFacts({ outcome: 'missed', manager: null, talked: [], servedBy: [], durationSec: 0, recordUrl: null }), ctx('history'));
    expect(requests()).toEqual(['PUT phone/call/extid/1741165200.101 404', 'PUT phone/call/extid/1741165200.101 404', 'POST phone/call 200']);
    expect(call()[0]).toMatchObject({ duration: 0, comment: 'Пропущенный', endTime: '2026-03-05 11:01:35.000' });
    expect(call()[0]!.extension).toBeUndefined();
  });

  it('an internal call sends nothing', async () => {
    const internal = sampleFacts({ direction: 'internal', hostCallType: 2, customerPhone: null, caller: '150', callees: ['151'] });
    await adapter.popup(internal, ['151'], ctx('popup'));
    await adapter.close(internal, ctx('close'));
    await adapter.history(internal, ctx('history'));
    expect(requests()).toEqual([]);
  });

  it('customer and responsible manager from the counterparty and its owner; employee by extension', async () => {
    expect(await adapter.customer('375291234567', ctx('customer'))).toEqual({ name: 'ООО Ромашка', profile: { phone: '+375 29 123-45-67', id: 'c-1' } });
    expect(await adapter.responsibleExtension('+375 29 123 45 67', ctx('responsible'))).toBe('151');
    // Without employee_mapping the owner is found in the Phone API's employee list.
    expect(await adapter.responsibleExtension('375291234567', ctx('responsible', { employee_mapping: {} }))).toBe('151');
    expect(await adapter.customer('375440000000', ctx('customer'))).toBeNull();
    expect(await employeeIdByExtension('150', ctx('customer'))).toBe('e-150');
    expect(crms.moysklad.log.find({ account: acc, path: 'remap' }).every((r) => r.auth === 'ok')).toBe(true);
  });

  it('a revoked key is fatal and flags the integration; a 429 is a wait of X-Lognex-Retry-After; the attempts are logged with the key masked', async () => {
    crms.moysklad.faults.set(acc, { down: false, delayMs: 0, unauthorized: true, next429: 0, next503: 0, retryAfterSec: 2, rate500: 0 });
    const bad = await rejection(adapter.popup(ringingFacts(), ['150'], ctx('popup')));
    expect(bad.verdict).toMatchObject({ kind: 'fatal', auth: true });
    crms.moysklad.faults.set(acc, { down: false, delayMs: 0, unauthorized: false, next429: 1, next503: 0, retryAfterSec: 3, rate500: 0 });
    const wait = await rejection(adapter.history(sampleFacts(), ctx('history')));
    expect(wait.verdict).toMatchObject({ kind: 'rate-limited', waitMs: 3000 });
    const rows = await db.selectFrom('integration_logs').selectAll().where('enterprise_number', '=', enterprise).orderBy('id').execute();
    expect(rows.map((r) => [r.integration_type, r.status, r.http_status])).toEqual([['ms', 'fatal', 401], ['ms', 'rate_limited', 429]]);
    expect(JSON.stringify(rows)).not.toContain(`phone-${enterprise}`);
  });
});
