/**
 * Every emulator pattern, read by callFacts and sent by the RetailCRM adapter to the sandbox
 * RetailCRM (through the real CRM executor): the exact requests each call makes there — one popup
 * naming every rung manager, the hangup last, one history row with the right type, result, manager
 * and host duration — and nothing for internal calls; the same with the events shuffled.
 */
import { Redis } from 'ioredis';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callFacts, type CallFacts } from '@callpipe/call-facts';
import type { CorrelationEvent } from '@callpipe/correlation';
import { CrmBreaker, createCrmHttp, type CrmAccount, type CrmContext } from '@callpipe/crm';
import { retailCrmAdapter as adapter } from '../../libs/crm/src/retailcrm/index.js';
import { hangupEvent } from '../../libs/crm/src/retailcrm/callEvent.js';
import { uploadCall } from '../../libs/crm/src/retailcrm/callsUpload.js';
import { userByExtension } from '../../libs/crm/src/retailcrm/settings.js';
import { RetailCrmSandbox } from '../../apps/sandbox/src/crm/retailcrm/index.js';
import { retailCrmApiRoutes } from '../../apps/sandbox/src/crm/retailcrm/routes.js';
import { emulatedCall, PATTERN_IDS, seededRandom, shuffled } from '../callLog/emulatedCalls.js';
import { listen } from '../support/listen.js';
import { testConfig, testLogger, uniqueEnterprise } from '../support/testEnv.js';

const config = testConfig();
const redis = new Redis(config.redisUrl);
const log = testLogger();
const sandbox = new RetailCrmSandbox();
const MANAGERS = { 19: '150', 18: '151', 22: '152' } as const;
const MAP = userByExtension(MANAGERS);
const NAME: Record<string, string> = { 150: 'Анна Смирнова', 151: 'Олег Ким', 152: 'Ира Лис' };
let base = '';
let close: () => Promise<void>;

beforeAll(async () => {
  const app = express();
  app.use(retailCrmApiRoutes(sandbox));
  ({ base, close } = await listen(app));
});
afterAll(async () => {
  await close();
  await redis.quit();
});

function setupAccount(name: string, key: string): CrmAccount {
  sandbox.setup({
    name, apiKey: key,
    users: [{ id: 19, firstName: 'Анна', lastName: 'Смирнова', code: '150' }, { id: 18, firstName: 'Олег', lastName: 'Ким', code: '151' }, { id: 22, firstName: 'Ира', lastName: 'Лис', code: '152' }],
  });
  return { enterprise: name, type: 'retailcrm', settings: { enabled: true, domain: `${base}/retailcrm/${name}`, api_key: key, user_extensions: MANAGERS } };
}

function ctx(account: CrmAccount, action: string, callRef: string): CrmContext {
  const breaker = new CrmBreaker(redis, config.queuePrefix, { failureThreshold: 5, openMs: 500, maxOpenMs: 2000, probeLeaseMs: 1000 });
  const http = createCrmHttp(
    { redis, prefix: config.queuePrefix, breaker, sink: { record: async () => undefined }, timeoutMs: 2000, limiterMaxWaitMs: 5000 },
    { adapter, account, action, callRefs: [callRef], attempt: 1, log },
  );
  return { account, http, state: { get: async () => null, set: async () => undefined }, log };
}

const facts = (events: readonly CorrelationEvent[]): CallFacts => {
  const f = callFacts(events, { timeZone: 'Europe/Minsk' });
  if (!f) throw new Error('no facts');
  return f;
};

/** The dispatch's part, reduced: the popup when the dial arrives (the managers rung, or the one who dials out), hangup and history at the end. */
async function deliver(account: CrmAccount, events: readonly CorrelationEvent[]): Promise<CallFacts> {
  const firstDial = events.findIndex((e) => e.type === 'dial');
  const end = facts(events);
  const ringing = facts(firstDial >= 0 ? events.slice(0, firstDial + 1) : events);
  const managers = ringing.rung.length ? ringing.rung : ringing.caller ? [ringing.caller] : [];
  await adapter.popup(ringing, managers, ctx(account, 'popup', end.callRef));
  await adapter.close(end, ctx(account, 'close', end.callRef));
  await adapter.history(end, ctx(account, 'history', end.callRef));
  return end;
}

/** EndTime − StartTime of the call's own hangup, as the host wrote them (whole seconds of its clock). */
function hostDuration(events: readonly CorrelationEvent[], callRef: string): number {
  const hangup = events.find((e) => e.type === 'hangup' && e.body.UniqueId === callRef);
  const at = (v: unknown) => Date.parse(`${String(v).replace(' ', 'T')}Z`);
  return (at(hangup?.body.EndTime) - at(hangup?.body.StartTime)) / 1000;
}

type Sent = { path: string; event?: { type: string; codes?: string[]; phone: string; callExternalId: string; hangupStatus?: string }; calls?: Record<string, unknown>[] };

describe('RetailCRM requests for every emulator pattern', () => {
  for (const [i, id] of PATTERN_IDS.entries()) {
    it(`pattern ${id}`, async () => {
      const call = emulatedCall(id, { seed: 11, callIndex: i, startTime: new Date('2026-03-05T08:00:00Z') });
      const enterprise = uniqueEnterprise().number;
      const account = setupAccount(`p-${enterprise}`, `key-${enterprise}`);
      const record = call.records[0]!;
      const x = record.expected;
      const end = await deliver(account, [...record.events].sort((a, b) => a.at - b.at));
      const sent = sandbox.state.requestLog({ account: account.enterprise }).map((r): Sent => ({ path: r.path, ...(r.params as object) }));
      expect(sandbox.state.requestLog({ account: account.enterprise }).every((r) => r.status === 200)).toBe(true);

      if (x.direction === 'internal') {
        expect(sent).toEqual([]);
        return;
      }
      const events = sent.filter((s) => s.path === 'telephony/call/event').map((s) => s.event!);
      // One popup naming every manager rung, then the hangup, and nothing after it.
      expect(events.map((e) => e.type)).toEqual([x.direction, 'hangup']);
      expect(events[0]!.codes?.length).toBeGreaterThan(0);
      expect(events[1]!.codes).toEqual(expect.arrayContaining(events[0]!.codes!));
      expect(events.every((e) => e.callExternalId === x.uniqueIds[0] && e.phone === `+${x.externalPhones[0]}`)).toBe(true);
      expect(events[1]!.hangupStatus).toBe(x.answered ? 'answered' : end.outcome === 'busy' ? 'busy' : 'no answered');
      // Every popup it opened is closed.
      const shop = sandbox.state.account(account.enterprise)!;
      expect([...shop.popups.values()].every((m) => m.size === 0)).toBe(true);

      const uploads = sent.filter((s) => s.path === 'telephony/calls/upload');
      expect(uploads).toHaveLength(1);
      const row = uploads[0]!.calls!;
      expect(row).toHaveLength(1);
      expect(row[0]).toMatchObject({
        type: x.direction, phone: x.externalPhones[0], externalId: x.uniqueIds[0],
        result: x.answered ? 'answered' : end.outcome === 'busy' ? 'busy' : 'no answer',
        duration: x.answered ? hostDuration(record.events, x.uniqueIds[0]!) : 0,
      });
      const talker = x.finalParticipants.find((p) => /^\d{1,6}$/.test(p));
      if (x.answered && talker) expect(shop.history.get(x.uniqueIds[0]!)?.managerName).toBe(NAME[talker]);
      expect(sent.at(-1)?.path === 'telephony/calls/upload' || events.at(-1)?.type === 'hangup').toBe(true);
    });
  }

  it('shuffled arrival gives the same history row and the same hangup for every pattern', async () => {
    const random = seededRandom(20260305);
    for (const [i, id] of PATTERN_IDS.entries()) {
      const call = emulatedCall(id, { seed: 11, callIndex: i, startTime: new Date('2026-03-05T08:00:00Z') });
      const events = call.records[0]!.events;
      const inOrder = facts(events);
      const mixed = facts(shuffled(events, random));
      expect({ id, row: uploadCall(mixed, MAP), hangup: hangupEvent(mixed, MAP) }).toEqual({ id, row: uploadCall(inOrder, MAP), hangup: hangupEvent(inOrder, MAP) });
    }
  });
});
