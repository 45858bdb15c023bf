/**
 * Issue 8 end to end on real Redis, PostgreSQL and the sandbox Telegram: one set of call facts behind
 * the Telegram text, the `calls` row and the trace summary — for seed 004's real hangup body, for a call
 * whose bridges carry no BridgeNumChannels, and for the same call replayed in one recovery burst; call
 * history for an enterprise without recipients; and an event's job that dies after its call-log COMMIT.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventType } from '@callpipe/events';
import { newEventJob, type EventJob } from '@callpipe/queues';
import { botIdOf, type SendLimits } from '@callpipe/telegram';
import { TelegramSandbox } from '../../apps/sandbox/src/telegram/index.js';
import { afterEntrySteps, type AfterEntryStep } from '../../apps/workers/src/fanOut/afterEntry.js';
import { emulatedCall } from '../callLog/emulatedCalls.js';
import { uniqueEnterprise, waitFor } from '../support/testEnv.js';
import { newBotToken, pipelinePerFile, type Pipeline } from './pipelineHarness.js';

const limits: SendLimits = { chatIntervalMs: 20, chatBurst: 5, groupPerMinute: 6000, botPerSecond: 1000 };
const telegram = new TelegramSandbox({ limits: { chatIntervalMs: 10, chatBurst: 10, groupPerMinute: 6000, botPerSecond: 1000 } });
let base: string;
let p: Pipeline;
pipelinePerFile(telegram, (s) => { ({ base, p } = s); });

interface Ent { number: string; token: string; bot: string; chatId: number }

/** An enterprise with (or without) one full recipient, and managers 150 and 152 named as the seed names them. */
async function enterprise(recipients: boolean): Promise<Ent> {
  const e = uniqueEnterprise();
  const bot = newBotToken();
  const chatId = randomInt(1e6, 1e12);
  await p.db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: bot }).execute();
  if (recipients) await p.db.insertInto('telegram_users').values({ tg_id: chatId, bot_token: bot, enterprise_number: e.number, role: 'full' }).execute();
  for (const [ext, first, last] of [['150', 'Джулай', 'Джуновый'], ['152', 'Августа', 'Августовская'], ['151', 'Тимур', 'Тимлидовый']] as const) {
    const u = await p.db.insertInto('users').values({ enterprise_number: e.number, first_name: first, last_name: last }).returning('id').executeTakeFirstOrThrow();
    await p.db.insertInto('user_internal_phones').values({ enterprise_number: e.number, phone_number: ext, user_id: u.id }).execute();
  }
  return { number: e.number, token: e.token, bot, chatId };
}

const jobsOf = (ent: Ent, events: { type: string; body: Record<string, unknown>; at: Date }[], source: 'live' | 'recovery' = 'live'): EventJob[] =>
  events.map((e) => newEventJob(e.type as EventType, { ...e.body, Token: ent.token } as EventJob['body'], ent.number, source, e.at));

async function settle(): Promise<void> {
  await waitFor(async () => (await p.idle()) || false, 'every queue to drain', 60_000, 100);
}

const chatTexts = (ent: Ent): string[] => telegram.state.messages(ent.chatId, botIdOf(ent.bot)).map((m) => m.text);
const sentTexts = (ent: Ent): string[] =>
  telegram.state.callLog({ chatId: ent.chatId, botId: botIdOf(ent.bot) }).filter((c) => c.ok && c.method === 'sendMessage').map((c) => c.text ?? '');

async function callRows(ent: Ent) {
  return p.db.selectFrom('calls').selectAll().where('enterprise_number', '=', ent.number).orderBy('unique_id').execute();
}
async function traceOf(ent: Ent, uniqueId: string) {
  return p.db.selectFrom('call_ids as i').innerJoin('call_traces as t', (j) => j.onRef('t.enterprise_number', '=', 'i.enterprise_number').onRef('t.call_id', '=', 'i.call_id'))
    .select(['t.direction', 't.status', 't.answered', 't.start_time', 't.end_time', 't.duration_sec'])
    .where('i.enterprise_number', '=', ent.number).where('i.id_value', '=', uniqueId).executeTakeFirstOrThrow();
}

/** Seed 004's real hangup body (StartTime "", DateReceived, EndTime; Phone "152" with CallType 0). */
const SEED_HANGUP = {
  CallStatus: '2', Phone: '152', ExternalInitiated: true, Trunk: '', Extensions: ['150'], UniqueId: '1759230684.16',
  StartTime: '', DateReceived: '2025-09-30 11:15:02', EndTime: '2025-09-30 11:15:12', CallType: 0,
};

/** An inbound emulated call (pattern 1-3) whose bodies carry no BridgeNumChannels, at its host times. */
function callWithoutCount(seed: number) {
  const c = emulatedCall('1-3', { seed, callIndex: randomInt(1000), startTime: new Date(Date.now() - 3600_000), ownParties: true });
  const events = c.call.events.map((e) => {
    const { BridgeNumChannels: _n, ...body } = e.body as Record<string, unknown>;
    return { type: e.type, body, at: new Date(Date.parse(c.call.expected.startedAt) + e.offsetMs) };
  });
  return { c, events };
}

describe('one set of call facts behind Telegram, `calls` and the trace summary', () => {
  it('seed 004\'s real hangup, delivered late: internal 152 ↔ 150, answered, 10 s by the host clock in all three', async () => {
    const ent = await enterprise(true);
    p.start(1, base, limits);
    // Received five minutes after the call ended: our clock must not make it "0:00".
    await p.producers.addBulk('events', jobsOf(ent, [{ type: 'hangup', body: SEED_HANGUP, at: new Date() }]).map((j) => ({ name: j.eventType, data: j })));
    await waitFor(async () => chatTexts(ent).length === 1 || false, 'the final message', 30_000, 100);
    await settle();
    expect(chatTexts(ent)).toEqual(['✅ Завершен (внутр.): Августовская Августа (доб. 152) ↔ Джуновый Джулай (доб. 150), 0:10']);
    const [row] = await callRows(ent);
    expect(row).toMatchObject({ unique_id: '1759230684.16', phone: '152', extension: '150', call_type: 2, call_status: 2, duration: 10 });
    expect(row!.date_received?.toISOString()).toBe('2025-09-30T08:15:02.000Z');
    expect(row!.date_end?.toISOString()).toBe('2025-09-30T08:15:12.000Z');
    const trace = await traceOf(ent, '1759230684.16');
    expect(trace).toMatchObject({ direction: 'internal', status: 'answered', answered: true, duration_sec: 10 });
    expect(trace.start_time?.toISOString()).toBe('2025-09-30T08:15:02.000Z');
  }, 60_000);

  it('bodies without BridgeNumChannels: "🔗 Разговор" is sent, the final names the one who answered, and the host duration is the same in all three — live and replayed in one burst', async () => {
    const live = await enterprise(true);
    const burst = await enterprise(true);
    const { c, events } = callWithoutCount(5);
    const x = c.call.expected;
    const answerer = x.finalParticipants.find((n) => /^\d{1,6}$/.test(n))!;
    p.start(1, base, limits);
    // Live: each event as the host sent it, in time.
    for (const job of jobsOf(live, events)) {
      await p.producers.add('events', job.eventType, job);
      await settle();
    }
    // The same call from the host's failure log: every event at once, received in one millisecond.
    const now = new Date();
    await p.producers.addBulk('events', jobsOf(burst, events.map((e) => ({ ...e, at: now })), 'recovery').map((j) => ({ name: j.eventType, data: j })));
    await waitFor(async () => (chatTexts(burst).length === 1 && chatTexts(burst)[0]!.startsWith('✅')) || false, 'the burst\'s final message', 30_000, 100);
    await settle();

    expect(sentTexts(live).some((t) => t.startsWith('🔗 Разговор'))).toBe(true);
    const [liveText] = chatTexts(live);
    const [burstText] = chatTexts(burst);
    expect(burstText).toBe(liveText);
    const [liveRow] = await callRows(live);
    const [burstRow] = await callRows(burst);
    const duration = liveRow!.duration!;
    expect(Math.abs(duration - x.durationSec)).toBeLessThanOrEqual(1);
    const mmss = `${Math.floor(duration / 60)}:${String(duration % 60).padStart(2, '0')}`;
    expect(liveText).toContain(`✅ Завершен входящий: `);
    expect(liveText).toContain(`, ${mmss}\n`);
    expect(liveText).toContain(`👤 Менеджер: доб. ${answerer}`);
    for (const [ent, row] of [[live, liveRow!], [burst, burstRow!]] as const) {
      expect(row).toMatchObject({ unique_id: x.uniqueIds[0], extension: answerer, call_type: 0, call_status: 2, duration, phone: x.externalPhones[0] });
      const trace = await traceOf(ent, x.uniqueIds[0]!);
      expect(trace).toMatchObject({ direction: 'in', status: 'answered', duration_sec: duration });
      expect(trace.start_time?.getTime()).toBe(row.date_received?.getTime());
      expect(trace.end_time?.getTime()).toBe(row.date_end?.getTime());
    }
  }, 120_000);

  it('an enterprise with no Telegram recipients still gets its `calls` rows and `customers` aggregates, once per call', async () => {
    const ent = await enterprise(false);
    p.start(1, base, limits);
    const calls = ['1-3', '1-4', '1-1', '3-1'].map((id, i) => emulatedCall(id, { seed: 40 + i, callIndex: randomInt(1000) * 8 + i, startTime: new Date(Date.now() - (i + 2) * 600_000), ownParties: true }));
    const jobs = calls.flatMap((c) => jobsOf(ent, c.call.events.map((e) => ({ type: e.type, body: e.body as Record<string, unknown>, at: new Date(Date.parse(c.call.expected.startedAt) + e.offsetMs) }))));
    await p.producers.addBulk('events', jobs.map((j) => ({ name: j.eventType, data: j })));
    // Every event delivered a second time (a redelivery): nothing may count twice.
    await p.producers.addBulk('callLog', jobs.map((j) => ({ name: j.eventType, data: { kind: 'event' as const, enterprise: j.enterprise, eventKey: j.eventKey, eventType: j.eventType, body: j.body, receivedAt: j.receivedAt, seq: j.seq, source: j.source } })));
    await waitFor(async () => (await callRows(ent)).length === calls.length || false, 'a calls row per call', 30_000, 100);
    await settle();
    const rows = await callRows(ent);
    expect(rows.map((r) => r.unique_id).sort()).toEqual(calls.map((c) => c.call.expected.uniqueIds[0]).sort());
    const external = calls.filter((c) => c.call.expected.direction !== 'internal');
    const customers = await p.db.selectFrom('customers').select(['phone_e164', 'total_calls', 'total_answered']).where('enterprise_number', '=', ent.number).execute();
    expect(customers.map((r) => r.phone_e164).sort()).toEqual(external.map((c) => `+${c.call.expected.externalPhones[0]}`).sort());
    for (const cu of customers) {
      const call = external.find((c) => `+${c.call.expected.externalPhones[0]}` === cu.phone_e164)!;
      expect(cu.total_calls).toBe(1);
      expect(cu.total_answered).toBe(call.call.expected.answered ? 1 : 0);
    }
    const tg = await p.producers.queue('telegram').getJobs(['completed', 'waiting', 'active', 'delayed', 'failed']);
    expect(tg.filter((j) => j.data.enterprise === ent.number)).toEqual([]);
  }, 90_000);

  it('an event whose job dies after its call-log COMMIT is retried as a duplicate and still ends the chat with the final message', async () => {
    const ent = await enterprise(true);
    const { c, events } = callWithoutCount(9);
    const x = c.call.expected;
    const injected: { committed: boolean }[] = [];
    let claimed = false;
    // The crash: right after the hangup's transaction committed, before the first after-entry step ran.
    // Claimed before the first await: steps of two batches may run for one call at once.
    const crashOnce: AfterEntryStep = async (call, ctx) => {
      if (call.eventType !== 'hangup' || claimed) return;
      claimed = true;
      const stored = await ctx.db.selectFrom('call_trace_entries').select('entry_key')
        .where('enterprise_number', '=', call.enterprise).where('event_type', '=', 'hangup').where('call_id', '=', call.callId).execute();
      injected.push({ committed: stored.length > 0 });
      throw new Error('injected: worker died after COMMIT');
    };
    p.start(1, base, limits, { steps: [crashOnce, ...afterEntrySteps()] });
    const jobs = jobsOf(ent, events);
    await p.producers.addBulk('events', jobs.map((j) => ({ name: j.eventType, data: j })));
    await waitFor(async () => (chatTexts(ent)[0]?.startsWith('✅') ?? false) || false, 'the final message after the retry', 60_000, 100);
    await settle();
    expect(injected).toEqual([{ committed: true }]);
    const hangup = jobs.find((j) => j.eventType === 'hangup')!;
    // The events job applies its call-log entry itself (fanOut/callLogInline.ts): it is the one retried.
    const retried = (await p.producers.queue('events').getJobs(['completed'])).find((j) => j.data.eventKey === hangup.eventKey);
    expect(retried?.attemptsMade).toBe(2);
    expect(retried?.returnvalue).toMatchObject({ inserted: false });
    expect(chatTexts(ent)).toHaveLength(1);
    const [row] = await callRows(ent);
    expect(row).toMatchObject({ unique_id: x.uniqueIds[0], call_status: 2 });
    expect(chatTexts(ent)[0]).toContain(`, ${Math.floor(row!.duration! / 60)}:${String(row!.duration! % 60).padStart(2, '0')}`);
  }, 90_000);
});
