/**
 * A missed call called back from Telegram, end to end on real Redis and PostgreSQL with the sandbox
 * Telegram (long polling, then the gateway's webhook) and the sandbox AMI: the final message carries
 * the button; an unlinked recipient is told why and nothing rings; of two recipients pressing at once
 * exactly one call is placed (their extension first, then the customer) and the other is told who is
 * on it; every chat's message then shows who called back and when, its button gone, and a later sync
 * keeps the note. The webhook refuses a wrong or missing secret token (403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatsOfJob, telegramUpdateJobId, type EventJob } from '@callpipe/queues';
import { formatPhone, webhookSecretToken } from '@callpipe/telegram';
import { createGateway, type Gateway } from '../../apps/gateway/src/gateway.js';
import type { CallbackRecord } from '../../apps/sandbox/src/telegram/updates.js';
import { postJson } from '../support/httpClient.js';
import { listen } from '../support/listen.js';
import { testLogger, waitFor } from '../support/testEnv.js';
import { CallBackWorld, WEBHOOK_SECRET } from './callBackHarness.js';

const w = new CallBackWorld();
const [a, b, c] = w.recipients as [typeof w.recipients[0], typeof w.recipients[0], typeof w.recipients[0]];
let gateway: Gateway;
let gatewayBase: string;
let closeGateway: () => Promise<void>;

beforeAll(async () => {
  await w.start();
  await w.startUpdates();
  gateway = createGateway(w.config, testLogger());
  ({ base: gatewayBase, close: closeGateway } = await listen(gateway.app));
});
afterAll(async () => {
  await closeGateway();
  await gateway.stop();
  await w.close();
});

/** Plays a missed inbound call (pattern 1-4) and waits until every chat shows its final message with the button. */
async function missedCall(seed: number): Promise<{ phone: string; callbackData: string; events: EventJob[] }> {
  const { events, phone } = w.callEvents('1-4', seed);
  await w.producers.addBulk('events', events.map((e) => ({ name: e.eventType, data: e })));
  let data = '';
  for (const r of w.recipients) {
    await waitFor(async () => {
      const m = w.messages(r.chatId).find((x) => x.text.includes(formatPhone(phone)) && x.replyMarkup);
      data = m?.replyMarkup?.inline_keyboard[0]?.[0]?.callback_data ?? '';
      return m;
    }, `chat ${r.chatId} to show the missed call with the call-back button`, 30_000, 100);
  }
  await waitFor(async () => (await w.idle()) || false, 'queues to drain', 30_000, 100);
  return { phone, callbackData: data, events };
}

/** The chat's messages about calls with this customer. */
const messageOf = (chatId: number, phone: string) => w.messages(chatId).filter((m) => m.text.includes(formatPhone(phone)));

async function press(chatId: number, messageId: number): Promise<CallbackRecord> {
  const r = await w.telegram.press({ chatId, messageId, fromFirstName: w.recipients.find((x) => x.chatId === chatId)!.name });
  if (typeof r === 'string') throw new Error(r);
  return r;
}
const answered = (id: string) => waitFor(async () => w.telegram.updates.callbacks.get(id)?.answer, `the bot to answer press ${id}`, 20_000, 50);

describe('the missed call\'s call-back button (long polling)', () => {
  let phone = '';
  let tail = '';
  let played: EventJob[] = [];

  it('the final message of a missed inbound call carries "📞 Перезвонить" naming the call', async () => {
    ({ phone, events: played } = await missedCall(41));
    tail = phone;
    for (const r of w.recipients) {
      const ms = messageOf(r.chatId, tail);
      expect(ms).toHaveLength(1);
      const button = ms[0]!.replyMarkup!.inline_keyboard[0]![0]!;
      expect(button.text).toBe('📞 Перезвонить');
      expect(button.callback_data).toMatch(new RegExp(`^cb1:${w.ent.number}:\\d+\\.\\d+$`));
    }
  });

  it('an unlinked recipient is told why, and nothing rings', async () => {
    const before = w.originates().length;
    const m = messageOf(b.chatId, tail)[0]!;
    const q = await press(b.chatId, m.messageId);
    expect(q.delivery.via).toBe('getUpdates');
    const answer = await answered(q.id);
    expect(answer.showAlert).toBe(true);
    expect(answer.text).toContain('не привязан к внутреннему номеру');
    await waitFor(async () => (await w.idle()) || false, 'queues to drain', 10_000, 50);
    expect(w.originates()).toHaveLength(before);
    expect(messageOf(b.chatId, tail)[0]!.replyMarkup).toBeDefined();
  });

  it('two linked recipients press at once: one call is placed (their extension, then the customer), the other is told who is on it', async () => {
    const before = w.originates().length;
    const [qa, qc] = await Promise.all([press(a.chatId, messageOf(a.chatId, tail)[0]!.messageId), press(c.chatId, messageOf(c.chatId, tail)[0]!.messageId)]);
    const [ansA, ansC] = await Promise.all([answered(qa.id), answered(qc.id)]);
    const started = [ansA, ansC].filter((x) => x.text.startsWith('Звоним'));
    const refused = [ansA, ansC].filter((x) => x.text.includes('уже занимается'));
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.showAlert).toBe(true);
    const winner = ansA.text.startsWith('Звоним') ? a : c;
    const loser = winner === a ? c : a;
    expect(refused[0]!.text).toContain(`${winner.name} (доб. ${winner.extension})`);
    // The PBX: exactly one Originate, the winner's extension rung first, then the customer dialled.
    await waitFor(async () => w.originates().length > before, 'the sandbox AMI to get the Originate', 10_000, 50);
    await waitFor(async () => (await w.idle()) || false, 'queues to drain', 20_000, 50);
    const sent = w.originates().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.fields).toMatchObject({ channel: `Local/${winner.extension}@inoffice`, application: 'Dial', data: `Local/+${phone.replace(/^\+/, '')}@inoffice` });
    expect(sent[0]!.fields.variable).toContain('CALLPIPE_ORIGIN=telegram');
    expect(sent[0]!.uniqueId).toMatch(/^\d+\.\d+$/);
    // Every chat: the same single message, edited in place, saying who called back and when, no button.
    for (const r of w.recipients) {
      const ms = messageOf(r.chatId, tail);
      expect(ms).toHaveLength(1);
      expect(ms[0]!.text).toMatch(new RegExp(`✅ Перезвонил ${winner.name} \\(доб\\. ${winner.extension}\\) · \\d\\d:\\d\\d$`));
      expect(ms[0]!.replyMarkup).toBeUndefined();
      expect(ms[0]!.editedAtMs).toBeDefined();
    }
    const row = await w.db.selectFrom('call_backs').selectAll().where('enterprise_number', '=', w.ent.number).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'placed', extension: winner.extension, phone: `+${phone.replace(/^\+/, '')}`, tg_user_id: String(winner.chatId), new_unique_id: sent[0]!.uniqueId });
    const logs = await w.db.selectFrom('integration_logs').selectAll().where('enterprise_number', '=', w.ent.number).where('event_type', '=', 'call_back').execute();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ integration_type: 'telegram', status: 'success' });
    expect(JSON.stringify(logs)).not.toContain('call-back-ami-secret');
    expect(loser.extension).not.toBe(winner.extension);
  });

  it('a later sync of the call (a redelivered hangup) keeps the note and adds no message', async () => {
    const hangup = played.filter((e) => e.eventType === 'hangup').at(-1)!;
    const calls = w.telegram.state.callLog({ botId: w.botId }).length;
    const since = Date.now();
    await w.producers.add('events', 'hangup', hangup);
    await waitFor(async () => (await w.idle()) || false, 'the redelivered hangup to be processed', 20_000, 50);
    await new Promise((r) => setTimeout(r, 300));
    for (const r of w.recipients) {
      const ms = messageOf(r.chatId, tail);
      expect(ms).toHaveLength(1);
      expect(ms[0]!.text).toContain('✅ Перезвонил');
    }
    // The redelivery did run a sync of every chat, and it found the chats as they should be: nothing sent, edited or deleted.
    const syncs = (await w.producers.queue('telegram').getJobs(['completed'])).filter((j) => (j.finishedOn ?? 0) >= since);
    const synced = syncs.flatMap((j) => chatsOfJob(j.data).map((c, i) => `${c.chatId}:${(j.returnvalue as string[])[i]}`));
    expect([...new Set(synced)].sort()).toEqual(w.recipients.map((r) => `${r.chatId}:unchanged`).sort());
    const after = w.telegram.state.callLog({ botId: w.botId }).slice(calls).filter((x) => ['sendMessage', 'editMessageText', 'deleteMessage'].includes(x.method));
    expect(after).toEqual([]);
  });
});

describe('a call-back the PBX refuses', () => {
  it('the note says it failed and why, the button comes back, and a new press calls', async () => {
    const { phone, callbackData } = await missedCall(63);
    const callRef = callbackData.split(':')[2]!;
    w.ami.setMode('refuse');
    let q: CallbackRecord;
    try {
      q = await press(a.chatId, messageOf(a.chatId, phone)[0]!.messageId);
      await answered(q.id);
      await waitFor(async () => messageOf(a.chatId, phone)[0]?.text.includes('⚠️ Не удалось перезвонить'), 'the failure note', 20_000, 50);
    } finally {
      w.ami.setMode('normal');
    }
    await waitFor(async () => (await w.idle()) || false, 'queues to drain', 20_000, 50);
    const failed = messageOf(a.chatId, phone)[0]!;
    expect(failed.text).toContain('congestion (reason 8)');
    expect(failed.replyMarkup?.inline_keyboard[0]?.[0]?.text).toBe('📞 Перезвонить');
    const before = w.originates().length;
    const again = await press(c.chatId, messageOf(c.chatId, phone)[0]!.messageId);
    expect((await answered(again.id)).text).toContain('Звоним');
    await waitFor(async () => messageOf(a.chatId, phone)[0]?.text.includes('✅ Перезвонил Вера'), 'the second attempt\'s note', 20_000, 50);
    expect(w.originates().slice(before).map((r) => r.fields.channel)).toEqual(['Local/151@inoffice']);
    const logs = await w.db.selectFrom('integration_logs').select(['status', 'error_message']).where('enterprise_number', '=', w.ent.number)
      .where('event_type', '=', 'call_back').where('call_unique_id', '=', callRef).orderBy('id').execute();
    expect(logs.map((l) => l.status)).toEqual(['error', 'success']);
  });
});

describe('the webhook', () => {
  const hookPath = () => `/telegram/webhook/${w.botId}`;
  const update = { update_id: 77, callback_query: { id: '555', from: { id: 1, is_bot: false, first_name: 'X' }, chat_instance: '1', data: 'cb1:x:1.1' } };

  it('refuses an update without the secret token, or with a wrong one (403), and queues nothing', async () => {
    const none = await postJson(gatewayBase, hookPath(), update);
    expect(none.status).toBe(403);
    const wrong = await fetch(`${gatewayBase}${hookPath()}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecretToken('another-secret-0123456789', w.botId) }, body: JSON.stringify(update),
    });
    expect(wrong.status).toBe(403);
    // Another bot's token is not this bot's either.
    const otherBot = await fetch(`${gatewayBase}${hookPath()}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecretToken(WEBHOOK_SECRET, '123') }, body: JSON.stringify(update),
    });
    expect(otherBot.status).toBe(403);
    expect(await w.producers.queue('telegramUpdates').getJob(telegramUpdateJobId(w.botId, 77))).toBeUndefined();
  });

  it('registered by the workers (setWebhook with the secret), a press goes sandbox → gateway → call-back: a second missed call is called back', async () => {
    await w.startUpdates(gatewayBase);
    await waitFor(async () => w.telegram.updates.webhookInfo(w.botId).url === `${gatewayBase}${hookPath()}`, 'the webhook to be set', 10_000, 50);
    const { phone } = await missedCall(97);
    const tail = phone;
    const before = w.originates().length;
    const q = await press(c.chatId, messageOf(c.chatId, tail)[0]!.messageId);
    expect(q.delivery).toMatchObject({ via: 'webhook', taken: true });
    expect(q.delivery.attempts[0]!.status).toBe(200);
    const answer = await answered(q.id);
    expect(answer.text).toContain('доб. 151');
    await waitFor(async () => messageOf(c.chatId, tail)[0]?.text.includes('✅ Перезвонил Вера (доб. 151)'), 'the message to show the call-back', 20_000, 50);
    expect(w.originates().slice(before).map((r) => r.fields.channel)).toEqual(['Local/151@inoffice']);
    // While a webhook is set, getUpdates is refused as Telegram refuses it.
    const poll = await postJson(w.telegramBase, `/bot${w.botToken}/getUpdates`, {});
    expect(poll.status).toBe(409);
  });
});
