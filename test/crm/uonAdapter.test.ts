/**
 * The U-ON adapter through the shared CRM executor against the sandbox U-ON: notifications to the
 * managers rung (once each, whatever is retried), one history row per external call, lookups, faults.
 */
import { describe, expect, it } from 'vitest';
import type { CrmAccount } from '@callpipe/crm';
import { ringingFacts, sampleFacts } from '../../libs/crm/src/sampleFacts.js';
import { uonAdapter as adapter } from '../../libs/crm/src/uon/index.js';
import { contextFor, crms, db, rejection, serveCrmsPerTest } from './adapterContext.js';

let base = '';
let enterprise = '';
let acc = '';
serveCrmsPerTest((b) => { base = b; }, (e) => {
  enterprise = e;
  acc = `uon-${enterprise}`;
  crms.uon.setup({
    name: acc, key: `key${enterprise}`, autoManagers: false,
    managers: [{ id: '7', name: 'Анна', extension: '150' }, { id: '9', name: 'Олег', extension: '151' }],
    clients: [{ id: '55', surname: 'Иванов', name: 'Иван', phone: '+375291234567', managerId: '9' }],
  });
});

const account = (): CrmAccount => ({
  enterprise, type: 'uon', settings: { enabled: true, api_key: `key${enterprise}`, api_url: `${base}/uon/${acc}`, user_extensions: { 7: '150', 9: '151' } },
});
const ctx = (action: string) => contextFor(adapter, account(), action);
const requests = () => crms.uon.log.find({ account: acc }).map((r) => `${r.method} ${r.path} ${r.status}`);
const screens = () => crms.uon.screens(acc)[0]!;

describe('U-ON adapter against the sandbox', () => {
  it('rings: the customer\'s name is looked up and each manager rung gets one notification; a retry or resend notifies nobody twice', async () => {
    await adapter.popup(ringingFacts(), ['150', '151'], ctx('popup'));
    await adapter.popup(ringingFacts(), ['150', '151'], ctx('popup'));
    expect(requests()).toEqual(['GET user/phone/375291234567 200', 'POST notification/create 200', 'POST notification/create 200']);
    for (const id of ['7', '9']) expect(screens().managers.find((m) => m.id === id)!.popups.map((p) => p.title)).toEqual(['Входящий звонок: +375291234567 — Иванов Иван']);
  });

  it('a transfer notifies only the new manager; the hangup closes nothing (U-ON has nothing to close) and writes one history row', async () => {
    await adapter.popup(ringingFacts({ rung: ['150'] }), ['150'], ctx('popup'));
    await adapter.popup(ringingFacts(), ['151'], ctx('popup'));
    await adapter.close(sampleFacts(), ctx('close'));
    await adapter.history(sampleFacts(), ctx('history'));
    await adapter.history(sampleFacts(), ctx('history'));
    expect(requests().filter((r) => r.startsWith('POST'))).toEqual(['POST notification/create 200', 'POST notification/create 200', 'POST call_history/create 200']);
    expect(screens().history).toEqual([expect.objectContaining({ date: '2026-03-05 11:00:00', direction: 'in', phone: '375291234567', manager: 'Олег (9)', durationSec: 95, recordUrl: 'https://records.example/1741165200.101.mp3' })]);
    expect(crms.uon.log.find({ account: acc, path: 'call_history' })[0]!.params).toEqual({
      phone: '375291234567', start: '2026-03-05 11:00:00', duration: '95', direction: '2', manager_id: '9', record_link: 'https://records.example/1741165200.101.mp3',
    });
  });

  it('an outbound call is direction 1; an internal call sends nothing', async () => {
    await adapter.history(sampleFacts({ direction: 'out', hostCallType: 1, manager: '150', caller: '150', rung: [], talked: ['150'], servedBy: ['150'] }), ctx('history'));
    expect(screens().history[0]).toMatchObject({ direction: 'out', manager: 'Анна (7)' });
    const before = requests().length;
    const internal = sampleFacts({ direction: 'internal', hostCallType: 2, customerPhone: null, caller: '150', callees: ['151'] });
    await adapter.popup(internal, ['151'], ctx('popup'));
    await adapter.history(internal, ctx('history'));
    expect(requests()).toHaveLength(before);
  });

  it('customer and responsible manager from user/phone; an unknown number is nobody', async () => {
    expect(await adapter.customer('375291234567', ctx('customer'))).toEqual({ name: 'Иванов Иван', profile: { id: '55' } });
    expect(await adapter.responsibleExtension('375291234567', ctx('responsible'))).toBe('151');
    expect(await adapter.customer('375440000000', ctx('customer'))).toBeNull();
  });

  it('the popup goes out without the name when the lookup is rate-limited; a revoked key is fatal and flags the integration; the key never reaches the log', async () => {
    crms.uon.faults.set(acc, { down: false, delayMs: 0, unauthorized: false, next429: 1, next503: 0, retryAfterSec: 1, rate500: 0 });
    await adapter.popup(ringingFacts(), ['150'], ctx('popup'));
    expect(screens().managers.find((m) => m.id === '7')!.popups.map((p) => p.title)).toEqual(['Входящий звонок: +375291234567']);
    crms.uon.faults.set(acc, { down: false, delayMs: 0, unauthorized: true, next429: 0, next503: 0, retryAfterSec: 1, rate500: 0 });
    expect((await rejection(adapter.history(sampleFacts(), ctx('history')))).verdict).toMatchObject({ kind: 'fatal', auth: true });
    const rows = await db.selectFrom('integration_logs').selectAll().where('enterprise_number', '=', enterprise).orderBy('id').execute();
    expect(rows.map((r) => [r.status, r.http_status])).toEqual([['rate_limited', 429], ['success', 200], ['fatal', 403]]);
    expect(JSON.stringify(rows)).not.toContain(`key${enterprise}`);
  });
});
