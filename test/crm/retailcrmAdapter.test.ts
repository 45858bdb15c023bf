/**
 * The RetailCRM adapter through the shared CRM executor (real Redis limiter and breaker, real
 * integration_logs) against the sandbox RetailCRM: what RetailCRM receives and what its managers see.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import type { CallFacts } from '@callpipe/call-facts';
import {
  attemptSink, CrmBreaker, createCrmHttp, RedisCallState, callStateKey,
  type CrmAccount, type CrmContext,
} from '@callpipe/crm';
import { retailCrmAdapter as adapter } from '../../libs/crm/src/retailcrm/index.js';
import { integrationModuleRequest } from '../../libs/crm/src/retailcrm/integrationModule.js';
import { readSettings, type RetailCrmSettings } from '../../libs/crm/src/retailcrm/settings.js';
import { sampleFacts, ringingFacts } from '../../libs/crm/src/sampleFacts.js';
import { RetailCrmSandbox } from '../../apps/sandbox/src/crm/retailcrm/index.js';
import { retailCrmAdminRoutes, retailCrmApiRoutes } from '../../apps/sandbox/src/crm/retailcrm/routes.js';
import { listen } from '../support/listen.js';
import { testConfig, testLogger, uniqueEnterprise } from '../support/testEnv.js';
import { rejection } from './rejection.js';
import express from 'express';

const KEY = 'rcrm-adapter-test-key';
const config = testConfig();
const redis = new Redis(config.redisUrl);
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'retailcrm-adapter-test' }));
const log = testLogger();
const sandbox = new RetailCrmSandbox();
let base = '';
let close: () => Promise<void>;

beforeAll(async () => {
  const app = express();
  app.use(retailCrmApiRoutes(sandbox));
  app.use(retailCrmAdminRoutes(sandbox));
  ({ base, close } = await listen(app));
});
afterAll(async () => {
  await close();
  await redis.quit();
  await db.destroy();
});

let enterprise = '';
let accountName = '';
beforeEach(() => {
  enterprise = uniqueEnterprise().number;
  // One sandbox account per test: the real limiter's buckets are per key, so tests do not share them.
  accountName = `shop-${enterprise}`;
  sandbox.setup({
    name: accountName, apiKey: `${KEY}-${enterprise}`,
    users: [{ id: 19, firstName: 'Анна', lastName: 'Смирнова', code: '150' }, { id: 18, firstName: 'Олег', lastName: 'Ким', code: '151' }],
    customers: [{ id: 7, firstName: 'Иван', lastName: 'Петров', phones: [{ number: '+375291234567' }], managerId: 18 }],
  });
});

function account(over: Record<string, unknown> = {}): CrmAccount {
  return {
    enterprise, type: 'retailcrm',
    settings: { enabled: true, domain: `${base}/retailcrm/${accountName}`, api_key: `${KEY}-${enterprise}`, user_extensions: { 19: '150', 18: '151' }, ...over },
  };
}

function ctx(action: string, callRefs: string[] = ['1741165200.101'], acc = account()): CrmContext {
  const breaker = new CrmBreaker(redis, config.queuePrefix, { failureThreshold: 3, openMs: 500, maxOpenMs: 2000, probeLeaseMs: 1000 });
  const http = createCrmHttp(
    { redis, prefix: config.queuePrefix, breaker, sink: attemptSink(db, null), timeoutMs: 1500, limiterMaxWaitMs: 2000 },
    { adapter, account: acc, action, callRefs, attempt: 1, log },
  );
  return { account: acc, http, state: new RedisCallState(redis, callStateKey(config.queuePrefix, enterprise, 'retailcrm', callRefs[0] ?? 'none')), log };
}

const requests = () => sandbox.state.requestLog({ account: accountName });
const screen = (userId: number) => [...(sandbox.state.account(accountName)?.popups.get(userId)?.values() ?? [])];
const history = () => [...(sandbox.state.account(accountName)?.history.values() ?? [])];

describe('RetailCRM adapter against the sandbox', () => {
  it('popup shows the call on both rung managers\' screens; the hangup takes both down; RetailCRM got exactly those two events', async () => {
    await adapter.popup(ringingFacts(), ['150', '151'], ctx('popup'));
    expect(screen(19).map((p) => [p.callKey, p.type, p.phone, p.customerName])).toEqual([['1741165200.101', 'in', '+375291234567', 'Иван Петров']]);
    expect(screen(18)).toHaveLength(1);

    await adapter.close(sampleFacts(), ctx('close'));
    expect(screen(19)).toEqual([]);
    expect(screen(18)).toEqual([]);
    expect(requests().map((r) => [r.path, r.status, (r.params.event as { type: string; codes: string[] }).type, (r.params.event as { codes: string[] }).codes])).toEqual([
      ['telephony/call/event', 200, 'in', ['150', '151']],
      ['telephony/call/event', 200, 'hangup', ['150', '151']],
    ]);
    expect(requests()[1]!.params).toMatchObject({ clientId: enterprise, event: { hangupStatus: 'answered', callExternalId: '1741165200.101', externalPhone: '0001363' } });
  });

  it('every attempt is in integration_logs with the key masked', async () => {
    await adapter.popup(ringingFacts(), ['150'], ctx('popup'));
    const rows = await db.selectFrom('integration_logs').selectAll().where('enterprise_number', '=', enterprise).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ integration_type: 'retailcrm', event_type: 'popup', status: 'success', http_status: 200, call_unique_id: '1741165200.101' });
    expect(JSON.stringify(rows[0])).not.toContain(`${KEY}-${enterprise}`);
  });

  it('history: one row with host time, type, manager, result and host duration; sent again (a retry) it is a duplicate, not a second row', async () => {
    await adapter.history(sampleFacts(), ctx('history'));
    await adapter.history(sampleFacts(), ctx('history'));
    expect(history()).toEqual([expect.objectContaining({
      externalId: '1741165200.101', date: '2026-03-05 11:00:00', type: 'in', phone: '375291234567', code: '151', userId: 18,
      managerName: 'Олег Ким', result: 'answered', duration: 95, recordUrl: 'https://records.example/1741165200.101.mp3',
    })]);
    expect(requests().map((r) => r.answer)).toEqual([
      { success: true, processedCallsCount: 1 },
      { success: true, processedCallsCount: 0, duplicateCalls: ['1741165200.101'] },
    ]);
  });

  it('historyBatch: 120 ended calls go in three calls/upload requests of at most 50, every call once', async () => {
    const list: CallFacts[] = Array.from({ length: 120 }, (_, i) => sampleFacts({ callRef: `1741165300.${i}` }));
    await adapter.historyBatch!.send(list, ctx('history', list.map((f) => f.callRef)));
    expect(requests().map((r) => (r.params.calls as unknown[]).length)).toEqual([50, 50, 20]);
    expect(history()).toHaveLength(120);
  });

  it('an internal call sends RetailCRM nothing at all', async () => {
    const internal = sampleFacts({ hostCallType: 2, direction: 'internal', customerPhone: null, caller: '150', callees: ['151'] });
    await adapter.popup(internal, ['151'], ctx('popup'));
    await adapter.close(internal, ctx('close'));
    await adapter.history(internal, ctx('history'));
    expect(requests()).toEqual([]);
  });

  it('codes RetailCRM does not know (notExistCodes) are sent again by user id, so the manager still sees the popup', async () => {
    sandbox.setup({ name: accountName, apiKey: `${KEY}-${enterprise}`, users: [{ id: 19, firstName: 'Анна', lastName: 'Смирнова', code: '150' }, { id: 18, firstName: 'Олег', lastName: 'Ким' }] });
    await adapter.popup(ringingFacts(), ['150', '151'], ctx('popup'));
    expect(requests().map((r) => [r.params.event, r.answer])).toEqual([
      [expect.objectContaining({ codes: ['150', '151'] }), { success: true, notExistCodes: ['151'] }],
      [expect.objectContaining({ userIds: [18] }), { success: true }],
    ]);
    expect(screen(18)).toHaveLength(1);
    const rows = await db.selectFrom('integration_logs').select(['error_message', 'status']).where('enterprise_number', '=', enterprise).orderBy('id').execute();
    expect(rows[0]).toMatchObject({ status: 'success', error_message: expect.stringContaining('notExistCodes: 151') });
  });

  it('customer and responsible manager through telephony/manager', async () => {
    expect(await adapter.customer('375291234567', ctx('customer', []))).toMatchObject({ name: 'Иван Петров', profile: { id: '7', link: `${base}/retailcrm/${accountName}/customers/7` } });
    expect(await adapter.responsibleExtension('375291234567', ctx('responsible', []))).toBe('151');
  });

  it('an unknown number: telephony/manager, then customers, then null', async () => {
    expect(await adapter.customer('375290000000', ctx('customer', []))).toBeNull();
    expect(requests().map((r) => [r.path, r.params])).toEqual([
      ['telephony/manager', { phone: '+375290000000', details: '1' }],
      ['customers', { filter: { name: '375290000000' }, limit: '20' }],
    ]);
  });
});

describe('RetailCRM integration module registration', () => {
  it('the module RetailCRM would take: 201 on first registration, and its additionalCodes become the codes popups are addressed by', async () => {
    sandbox.setup({ name: accountName, apiKey: `${KEY}-${enterprise}`, users: [{ id: 19, firstName: 'Анна', lastName: 'Смирнова' }, { id: 18, firstName: 'Олег', lastName: 'Ким' }] });
    const s = readSettings(account().settings) as RetailCrmSettings;
    const res = await ctx('register', []).http.send(integrationModuleRequest(s, {
      code: 'vochi-telephony', name: 'Vochi-CRM', clientId: enterprise, baseUrl: 'https://bot.example', accountUrl: 'https://bot.example/retailcrm-admin/',
      logo: 'https://bot.example/static/logo.svg', makeCallUrl: 'https://bot.example/retailcrm/make-call',
    }));
    expect([res.status, res.body]).toEqual([201, { success: true }]);
    expect(Object.fromEntries(sandbox.state.account(accountName)!.codes)).toEqual({ 150: 19, 151: 18 });
    await adapter.popup(ringingFacts(), ['150', '151'], ctx('popup'));
    expect(requests().at(-1)?.answer).toEqual({ success: true });
    expect(screen(18)).toHaveLength(1);
  });
});

describe('RetailCRM adapter: faults the sandbox injects', () => {
  it('401: fatal and auth — no retry can fix a bad key', async () => {
    sandbox.faults.set(accountName, { ...sandbox.faultsFor('*'), unauthorized: true });
    const err = await rejection(adapter.popup(ringingFacts(), ['150'], ctx('popup')));
    expect(err.verdict).toMatchObject({ kind: 'fatal', auth: true });
    expect(requests().map((r) => r.status)).toEqual([401]);
  });

  it('429 with Retry-After: rate-limited with that wait', async () => {
    sandbox.faults.set(accountName, { ...sandbox.faultsFor('*'), next429: 1, retryAfterSec: 3 });
    const err = await rejection(adapter.history(sampleFacts(), ctx('history')));
    expect(err.verdict).toMatchObject({ kind: 'rate-limited', waitMs: 3000 });
  });

  it('down (bare 503): retry; a wrong domain (not RetailCRM\'s API): fatal auth', async () => {
    sandbox.faults.set(accountName, { ...sandbox.faultsFor('*'), down: true });
    expect((await rejection(adapter.close(sampleFacts(), ctx('close')))).verdict).toMatchObject({ kind: 'retry', reason: 'HTTP 503' });
    const wrong = account({ domain: `${base}/nothing-here` });
    expect((await rejection(adapter.popup(ringingFacts(), ['150'], ctx('popup', undefined, wrong)))).verdict).toMatchObject({ kind: 'fatal', auth: true });
  });

  it('settings without a key: fatal auth before any request', async () => {
    const err = await rejection(adapter.popup(ringingFacts(), ['150'], ctx('popup', undefined, account({ api_key: '' }))));
    expect(err.verdict).toEqual({ kind: 'fatal', auth: true, reason: 'retailcrm.api_key is missing' });
    expect(requests()).toEqual([]);
  });
});
