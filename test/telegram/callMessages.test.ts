/**
 * Issue 4 end to end: every emulator pattern through the real events → call-log → telegram processors
 * against the sandbox Telegram. Each recipient's chat must end with exactly one message per call,
 * the final text for its role, whatever the event order, the number of workers, or a 429 storm.
 */
import { describe, expect, it } from 'vitest';
import { TelegramSandbox } from '../../apps/sandbox/src/telegram/index.js';
import { newEventJob } from '@callpipe/queues';
import { metrics } from '@callpipe/metrics';
import { botIdOf, TELEGRAM_SEND_LIMITS, type SendLimits } from '@callpipe/telegram';
import { seededRandom, shuffled } from '../callLog/emulatedCalls.js';
import { waitFor } from '../support/testEnv.js';
import { pipelinePerFile, scenario, type Pipeline, type Scenario } from './pipelineHarness.js';

// The sandbox enforces Telegram-shaped limits (scaled down so the suite is quick); ours are stricter,
// so a 429 can only come from an injected fault.
const sandboxLimits = { chatIntervalMs: 40, chatBurst: 3, groupPerMinute: 1000, botPerSecond: 200 };
const ourLimits: SendLimits = { chatIntervalMs: 60, chatBurst: 2, groupPerMinute: 600, botPerSecond: 100 };

const telegram = new TelegramSandbox({ limits: sandboxLimits });
let base: string;
let p: Pipeline;
pipelinePerFile(telegram, (s) => { ({ base, p } = s); });

const textsIn = (chatId: number, token: string): string[] => telegram.state.messages(chatId, botIdOf(token)).map((m) => m.text).sort();

async function deliverAndSettle(s: Scenario, order: 'in-order' | 'shuffled'): Promise<void> {
  const events = order === 'shuffled' ? shuffled(s.events, seededRandom(4242)) : s.events;
  await p.producers.addBulk('events', events.map((e) => ({ name: e.eventType, data: e })));
  for (const r of s.recipients) {
    await waitFor(async () => {
      const got = textsIn(r.chatId, s.token);
      return JSON.stringify(got) === JSON.stringify(s.expectedTexts.get(r.chatId)) ? got : false;
    }, `chat ${r.chatId} (${r.role}) to show the final message of every call`, 150_000, 250);
  }
  await waitFor(async () => (await p.idle()) || false, 'every queue to drain', 60_000, 200);
}

async function expectOneFinalMessagePerCall(s: Scenario): Promise<void> {
  for (const r of s.recipients) {
    const messages = telegram.state.messages(r.chatId, botIdOf(s.token));
    expect(messages).toHaveLength(s.callCount);
    expect(messages.map((m) => m.text).sort()).toEqual(s.expectedTexts.get(r.chatId));
  }
  // One `calls` row per call (its first UniqueId), not one per hangup: consultations' hangups add none.
  const calls = await p.db.selectFrom('calls').select((eb) => eb.fn.countAll<string>().as('n')).where('enterprise_number', '=', s.enterprise).executeTakeFirstOrThrow();
  expect(Number(calls.n)).toBe(s.callCount);
  // Aggregates move once per external call's row, however many recipients and redeliveries saw the hangup.
  const withPhone = await p.db.selectFrom('calls').select((eb) => eb.fn.countAll<string>().as('n')).where('enterprise_number', '=', s.enterprise)
    .where('phone', 'is not', null).where('call_type', '<>', 2).executeTakeFirstOrThrow();
  const aggregated = await p.db.selectFrom('customers').select((eb) => eb.fn.sum<string>('total_calls').as('n')).where('enterprise_number', '=', s.enterprise).executeTakeFirstOrThrow();
  expect(Number(withPhone.n)).toBeGreaterThan(0);
  expect(Number(aggregated.n)).toBe(Number(withPhone.n));
  const unsent = await p.db.selectFrom('call_events').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('enterprise_number', '=', s.enterprise).where('event_type', '=', 'hangup').where('telegram_sent', '=', false).executeTakeFirstOrThrow();
  expect(Number(unsent.n)).toBe(0);
}

describe('telegram: one live message per call per recipient, ending with the final one', () => {
  it('every pattern in order: each chat holds exactly one message per call with its role\'s final text', async () => {
    const s = await scenario(p.db);
    p.start(1, base, ourLimits);
    await deliverAndSettle(s, 'in-order');
    await expectOneFinalMessagePerCall(s);
    // The message lived: earlier stages were shown and replaced (sent, then deleted), not only the last.
    for (const r of s.recipients) {
      const calls = telegram.state.callLog({ chatId: r.chatId, botId: botIdOf(s.token) }).filter((c) => c.ok);
      const sends = calls.filter((c) => c.method === 'sendMessage').length;
      const deletes = calls.filter((c) => c.method === 'deleteMessage').length;
      expect(sends).toBeGreaterThan(s.callCount);
      expect(sends - deletes).toBe(s.callCount);
    }
  }, 240_000);

  it('a recipient that blocked the bot (403) is marked inactive; the other recipient still gets every final message', async () => {
    const s = await scenario(p.db, ['1-1', '1-3', '2-1']);
    const [full, brief] = s.recipients;
    telegram.faults = { ...telegram.faults, blockedChats: [brief!.chatId] };
    p.start(1, base, ourLimits);
    await p.producers.addBulk('events', s.events.map((e) => ({ name: e.eventType, data: e })));
    await waitFor(async () => JSON.stringify(textsIn(full!.chatId, s.token)) === JSON.stringify(s.expectedTexts.get(full!.chatId)), 'the full recipient\'s final messages', 60_000, 200);
    await waitFor(async () => (await p.idle()) || false, 'every queue to drain', 60_000, 200);
    const row = await p.db.selectFrom('telegram_users').select('active').where('tg_id', '=', String(brief!.chatId)).where('bot_token', '=', s.token).executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    expect(textsIn(brief!.chatId, s.token)).toEqual([]);
  }, 120_000);

  it('an event applied after the hangup that changes nothing sends nothing: the final message stays', async () => {
    const s = await scenario(p.db, ['1-3']);
    p.start(1, base, ourLimits);
    await deliverAndSettle(s, 'in-order');
    const before = telegram.state.callLog({ botId: botIdOf(s.token) }).length;
    const bridge = s.events.find((e) => e.eventType === 'bridge')!;
    const late = newEventJob('bridge', { ...bridge.body, BridgeNumChannels: 1, CallerIDNum: bridge.body.CallerIDNum }, s.enterprise, 'live', new Date());
    await p.producers.add('events', 'bridge', late);
    await waitFor(async () => (await p.idle()) || false, 'the late event to be processed', 30_000, 200);
    await new Promise((r) => setTimeout(r, 300));
    expect(telegram.state.callLog({ botId: botIdOf(s.token) })).toHaveLength(before);
    await expectOneFinalMessagePerCall(s);
  }, 120_000);

  it('every pattern with all events shuffled: the same end state', async () => {
    const s = await scenario(p.db);
    p.start(1, base, ourLimits);
    await deliverAndSettle(s, 'shuffled');
    await expectOneFinalMessagePerCall(s);
  }, 240_000);

  it('two workers sharing the queues, events shuffled: still one message per call', async () => {
    const s = await scenario(p.db);
    p.start(2, base, ourLimits);
    await deliverAndSettle(s, 'shuffled');
    await expectOneFinalMessagePerCall(s);
  }, 240_000);

  it('at Telegram\'s own pace (a message a second per chat), a sync that would wait longer than TELEGRAM_SLOT_WAIT_MS hands its worker slot back and comes back: every final message, no 429', async () => {
    const deferred = async () => (await metrics.telegramSyncsDeferred.get()).values.reduce((n, v) => n + v.value, 0);
    const before = await deferred();
    const s = await scenario(p.db, ['1-1', '1-3', '2-1', '4-1']);
    // Waits of about a second are over a 250 ms slot wait (the default, 2 s, waits them out in place).
    p.start(1, base, TELEGRAM_SEND_LIMITS, undefined, { slotWaitMs: 250 });
    await deliverAndSettle(s, 'in-order');
    await expectOneFinalMessagePerCall(s);
    // Four calls' messages at once overrun a chat's burst of two: some syncs were moved back to the queue.
    expect(await deferred()).toBeGreaterThan(before);
    expect(telegram.state.callLog({ botId: botIdOf(s.token) }).filter((c) => c.status === 429)).toHaveLength(0);
  }, 240_000);

  it('a 429 storm: every message delivered, no call dropped, and no 429 beyond the injected ones', async () => {
    const s = await scenario(p.db);
    const injected = 40;
    telegram.faults = { ...telegram.faults, next429: injected, retryAfterSec: 1 };
    p.start(2, base, ourLimits);
    await deliverAndSettle(s, 'shuffled');
    await expectOneFinalMessagePerCall(s);
    const tooMany = telegram.state.callLog({ botId: botIdOf(s.token) }).filter((c) => c.status === 429);
    expect(tooMany).toHaveLength(injected);
  }, 240_000);
});
