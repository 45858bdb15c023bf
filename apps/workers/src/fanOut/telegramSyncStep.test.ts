import { afterAll, describe, expect, it } from 'vitest';
import { callFacts } from '@callpipe/call-facts';
import type { CorrelationEvent } from '@callpipe/correlation';
import { uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { processorDeps } from '../../../../test/support/processorDeps.js';
import { chatsOfJob } from '@callpipe/queues';
import { telegramSyncStep, type AppliedCall } from './afterEntry.js';

const deps = processorDeps('telegram-sync-step-test');
afterAll(deps.close);

const tz = 'Europe/Minsk';
const t0 = Date.parse('2025-10-01T09:00:00Z');
const ev = (n: number, type: string, body: Record<string, unknown>): CorrelationEvent => ({ key: `k${n}-${type}`, type, body: { Token: '375293332255', ...body }, at: t0 + n * 1000 });
/** An inbound call rung on 150 and 151, answered by 151. */
const b = 'b-1';
const CALL: CorrelationEvent[] = [
  ev(0, 'start', { UniqueId: '1759309200.1', Phone: '375296254070', CallType: 0, Trunk: '0001363', StartTime: '2025-10-01 12:00:00' }),
  ev(1, 'dial', { UniqueId: '1759309200.1', Phone: '375296254070', CallType: 0, Extensions: ['150', '151'], Trunk: '0001363' }),
  ev(2, 'bridge_create', { BridgeUniqueid: b, BridgeType: 'basic', BridgeNumChannels: 0 }),
  ev(3, 'bridge', { UniqueId: '1759309200.3', BridgeUniqueid: b, CallerIDNum: '151', ConnectedLineNum: '', BridgeType: 'basic', BridgeNumChannels: 1 }),
  ev(4, 'bridge', { UniqueId: '1759309200.1', BridgeUniqueid: b, CallerIDNum: '375296254070', ConnectedLineNum: '151', BridgeType: 'basic', BridgeNumChannels: 2 }),
  ev(5, 'new_callerid', { UniqueId: '1759309200.3', CallerIDNum: '151', ConnectedLineNum: '375296254070' }),
  ev(6, 'bridge_leave', { UniqueId: '1759309200.1', BridgeUniqueid: b, CallerIDNum: '375296254070', ConnectedLineNum: '151', BridgeNumChannels: 1 }),
  ev(7, 'bridge_destroy', { BridgeUniqueid: b, BridgeNumChannels: 0 }),
  ev(8, 'hangup', {
    UniqueId: '1759309200.1', CallStatus: 2, CallType: 0, Phone: '375296254070', Extensions: ['150', '151'], Trunk: '0001363',
    StartTime: '2025-10-01 12:00:00', DateReceived: '2025-10-01 12:00:05', EndTime: '2025-10-01 12:01:05',
  }),
];
const facts = (events: readonly CorrelationEvent[]) => callFacts([...events], { timeZone: tz });

describe('the Telegram step after the call log (a sync only when the message would change)', async () => {
  const e = uniqueEnterprise();
  const bot = `123456:AAH-sync-step-test-${e.number}`;
  await deps.db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: bot }).execute();
  await deps.db.insertInto('telegram_users').values([
    { tg_id: 2001, bot_token: bot, enterprise_number: e.number, role: 'full' },
    { tg_id: 2002, bot_token: bot, enterprise_number: e.number, role: 'brief' },
  ]).execute();
  const call = (callId: string, over: Partial<AppliedCall>): AppliedCall => ({
    enterprise: e.number, callId, merged: [], eventType: 'dial', facts: null, factsBefore: null, timeZone: tz, ...over,
  });
  /** Chats with a sync queued for a call id (no worker runs here: each id gets its own waiting jobs); one job holds them all. */
  const queued = async (callId: string) => {
    const jobs = (await deps.producers.queue('telegram').getJobs(['waiting'])).filter((j) => j.data.enterprise === e.number && j.data.callId === callId);
    expect(jobs.length).toBeLessThanOrEqual(1);
    return jobs.flatMap((j) => chatsOfJob(j.data)).length;
  };

  it('each event of a call in order: syncs for the events that change what the chats show, none for the rest', async () => {
    const synced: string[] = [];
    for (let i = 0; i < CALL.length; i += 1) {
      const id = `inorder-${i}`;
      await telegramSyncStep()(call(id, { eventType: CALL[i]!.type, factsBefore: facts(CALL.slice(0, i)), facts: facts(CALL.slice(0, i + 1)) }), deps.ctx());
      const n = await queued(id);
      expect([0, 2]).toContain(n);
      if (n > 0) synced.push(CALL[i]!.type);
    }
    // start (ringing), dial (its extensions), the bridge that joins the customer (talking), the hangup (final).
    expect(synced).toEqual(['start', 'dial', 'bridge', 'hangup']);
  });

  it('a redelivered event still syncs: its facts before leave it out, whether or not it was stored already', async () => {
    await telegramSyncStep()(call('redelivered', { eventType: 'dial', factsBefore: facts(CALL.slice(0, 1)), facts: facts(CALL.slice(0, 2)) }), deps.ctx());
    expect(await queued('redelivered')).toBe(2);
  });

  it('with a debounce, a running call\'s burst of triggers folds into one held sync of its chats; an ended call\'s goes at once', async () => {
    const step = telegramSyncStep({ debounceMs: 5000 });
    await step(call('burst', { eventType: 'start', factsBefore: null, facts: facts(CALL.slice(0, 1)) }), deps.ctx());
    await step(call('burst', { eventType: 'dial', factsBefore: facts(CALL.slice(0, 1)), facts: facts(CALL.slice(0, 2)) }), deps.ctx());
    const held = (await deps.producers.queue('telegram').getJobs(['delayed'])).filter((j) => j.data.enterprise === e.number && j.data.callId === 'burst');
    expect(held).toHaveLength(1);
    expect(held.flatMap((j) => chatsOfJob(j.data)).sort((a, b) => a.chatId.localeCompare(b.chatId))).toEqual([{ chatId: '2001', role: 'full' }, { chatId: '2002', role: 'brief' }]);
    expect(held.every((j) => j.opts.delay === 5000)).toBe(true);
    await step(call('ended', { eventType: 'hangup', factsBefore: facts(CALL.slice(0, 8)), facts: facts(CALL) }), deps.ctx());
    expect(await queued('ended')).toBe(2);
  });

  it('a hangup of an ended call and a merge sync even when the message would not change; a leg\'s hangup while the call runs does not', async () => {
    const all = facts(CALL);
    await telegramSyncStep()(call('hangup-again', { eventType: 'hangup', factsBefore: all, facts: all }), deps.ctx());
    await telegramSyncStep()(call('merged', { eventType: 'bridge', merged: ['other'], factsBefore: all, facts: all }), deps.ctx());
    await telegramSyncStep()(call('nothing-new', { eventType: 'bridge', factsBefore: all, facts: all }), deps.ctx());
    // The unanswered 150's leg hangs up while 151 talks: what the chats show stays as it is.
    const talking = facts(CALL.slice(0, 5));
    expect(talking?.stage).not.toBe('ended');
    await telegramSyncStep()(call('leg-hangup', { eventType: 'hangup', factsBefore: talking, facts: talking }), deps.ctx());
    expect([await queued('hangup-again'), await queued('merged'), await queued('nothing-new'), await queued('leg-hangup')]).toEqual([2, 2, 0, 0]);
  });
});
