/**
 * The Bitrix24 adapter through the shared CRM executor against the sandbox Bitrix24: register with
 * SHOW, show to the others rung, hide on hangup, finish with status code and duration; lookups; faults.
 */
import { describe, expect, it } from 'vitest';
import type { CrmAccount } from '@callpipe/crm';
import { bitrix24Adapter as adapter } from '../../libs/crm/src/bitrix24/index.js';
import { ringingFacts, sampleFacts } from '../../libs/crm/src/sampleFacts.js';
import { contextFor, crms, db, rejection, serveCrmsPerTest } from './adapterContext.js';

let base = '';
let enterprise = '';
let portal = '';
serveCrmsPerTest((b) => { base = b; }, (e) => {
  enterprise = e;
  portal = `b24-${enterprise}`;
  crms.bitrix24.setup({
    name: portal, webhookUser: '1', code: `c${enterprise}`, autoUsers: false,
    users: [{ id: 11, name: 'Анна', innerPhone: '150' }, { id: 24, name: 'Олег', innerPhone: '151' }],
    entities: [{ type: 'CONTACT', id: 651, name: 'John Doe', phone: '+375291234567', assignedId: 24 }],
  });
});

const account = (over: Record<string, unknown> = {}): CrmAccount => ({
  enterprise, type: 'bitrix24', settings: { enabled: true, webhook_url: `${base}/b24/${portal}/rest/1/c${enterprise}/`, user_extensions: { 11: '150', 24: '151' }, ...over },
});
const ctx = (action: string, over: Record<string, unknown> = {}) => contextFor(adapter, account(over), action);
const methods = () => crms.bitrix24.log.find({ account: portal }).map((r) => `${r.path} ${r.status}`);
const cards = (user: string) => crms.bitrix24.screens(portal)[0]!.managers.find((m) => m.id === user)!.popups.map((p) => p.detail);

describe('Bitrix24 adapter against the sandbox', () => {
  it('rings: register with SHOW for the first manager, show for the other; hangup hides both and finishes with 200 and the host duration', async () => {
    await adapter.popup(ringingFacts(), ['150', '151'], ctx('popup'));
    expect([cards('11'), cards('24')]).toEqual([['John Doe'], ['John Doe']]);
    await adapter.close(sampleFacts(), ctx('close'));
    expect([cards('11'), cards('24')]).toEqual([[], []]);
    await adapter.history(sampleFacts(), ctx('history'));
    expect(methods()).toEqual(['telephony.externalcall.register 200', 'telephony.externalcall.show 200', 'telephony.externalcall.hide 200', 'telephony.externalcall.finish 200']);
    const reg = crms.bitrix24.log.find({ account: portal, path: 'register' })[0]!.params;
    expect(reg).toEqual({ USER_ID: 11, PHONE_NUMBER: '375291234567', TYPE: 2, CALL_START_DATE: '2026-03-05T08:00:00+00:00', CRM_CREATE: 0, SHOW: 1, LINE_NUMBER: '0001363', EXTERNAL_CALL_ID: '1741165200.101' });
    expect(crms.bitrix24.screens(portal)[0]!.history).toEqual([expect.objectContaining({ manager: 'Олег (151)', durationSec: 95, result: '200 успешный звонок', recordUrl: 'https://records.example/1741165200.101.mp3' })]);
  });

  it('a retried popup and a resent history change nothing: the same CALL_ID, one finish', async () => {
    await adapter.popup(ringingFacts(), ['150'], ctx('popup'));
    await adapter.popup(ringingFacts(), ['150'], ctx('popup'));
    await adapter.history(sampleFacts(), ctx('history'));
    await adapter.history(sampleFacts(), ctx('history'));
    expect(methods()).toEqual(['telephony.externalcall.register 200', 'telephony.externalcall.finish 200']);
    expect(crms.bitrix24.portals.get(portal)!.calls).toHaveLength(1);
  });

  it('a missed call never shown is registered without SHOW at hangup and finished 304 with 0 s; an extension without a user goes as USER_PHONE_INNER', async () => {
    crms.bitrix24.portals.get(portal)!.users.push({ id: 40, name: 'Ира', innerPhone: '152' });
    const missed = sampleFacts({ outcome: 'missed', manager: null, talked: [], servedBy: [], rung: ['152'], durationSec: 20, recordUrl: null });
    await adapter.history(missed, ctx('history'));
    const [reg, fin] = crms.bitrix24.log.find({ account: portal }).map((r) => r.params as Record<string, unknown>);
    expect(reg).toMatchObject({ USER_PHONE_INNER: '152', SHOW: 0 });
    expect(fin).toMatchObject({ USER_PHONE_INNER: '152', DURATION: 0, STATUS_CODE: '304' });
    expect(crms.bitrix24.screens(portal)[0]!.managers.find((m) => m.id === '40')!.popups).toEqual([]);
  });

  it('an internal call sends nothing; customer and responsible manager from searchCrmEntities', async () => {
    const internal = sampleFacts({ direction: 'internal', hostCallType: 2, customerPhone: null, caller: '150', callees: ['151'] });
    await adapter.popup(internal, ['151'], ctx('popup'));
    await adapter.history(internal, ctx('history'));
    expect(methods()).toEqual([]);
    expect(await adapter.customer('375291234567', ctx('customer'))).toEqual({ name: 'John Doe', profile: { type: 'CONTACT', id: '651' } });
    expect(await adapter.responsibleExtension('375291234567', ctx('responsible'))).toBe('151');
    expect(await adapter.customer('375440000000', ctx('customer'))).toBeNull();
  });

  it('a wrong webhook is fatal and flags the integration; QUERY_LIMIT_EXCEEDED is a wait; the webhook code never reaches the log', async () => {
    expect((await rejection(adapter.popup(ringingFacts(), ['150'], ctx('popup', { webhook_url: `${base}/b24/${portal}/rest/1/wrong${enterprise}/` })))).verdict)
      .toMatchObject({ kind: 'fatal', auth: true, reason: expect.stringContaining('INVALID_CREDENTIALS') });
    crms.bitrix24.faults.set(portal, { down: false, delayMs: 0, unauthorized: false, next429: 0, next503: 1, retryAfterSec: 2, rate500: 0 });
    expect((await rejection(adapter.customer('375291234567', ctx('customer')))).verdict).toMatchObject({ kind: 'rate-limited', waitMs: 2000 });
    const rows = await db.selectFrom('integration_logs').selectAll().where('enterprise_number', '=', enterprise).orderBy('id').execute();
    expect(rows.map((r) => [r.status, r.http_status])).toEqual([['fatal', 401], ['rate_limited', 503]]);
    expect(JSON.stringify(rows)).not.toContain(`c${enterprise}`);
  });
});
