/**
 * The sandbox Telegram's buttons and updates as a bot sees them: inline keyboards on send and edit,
 * a press delivered by getUpdates (offset confirms, long polling waits, a webhook makes it 409) or
 * POSTed to the webhook with its secret token, and answerCallbackQuery answered once.
 */
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postJson, type Reply } from '../../../../test/support/httpClient.js';
import { listen } from '../../../../test/support/listen.js';
import { testLogger } from '../../../../test/support/testEnv.js';
import { EmulatedHost } from '../host/emulatedHost.js';
import { sandboxHandler } from '../sandbox.js';
import { TelegramSandbox } from './telegramSandbox.js';

const TOKEN = '7000000368:AAE-updates-test-bot-token-sandbox';
const CHAT = 374573193;
const telegram = new TelegramSandbox();
let base: string;
let close: () => Promise<void>;
const hooked: { secret: string | undefined; body: unknown }[] = [];
let hookStatus = 200;
let hookBase: string;
let closeHook: () => Promise<void>;

beforeAll(async () => {
  const host = new EmulatedHost({ ingestUrl: 'http://127.0.0.1:9', token: 't', callsPerMinute: 0, speed: 1, log: testLogger() });
  ({ base, close } = await listen(sandboxHandler({ host, telegram })));
  const hook = express();
  hook.post('/hook', express.json(), (req, res) => { hooked.push({ secret: req.get('x-telegram-bot-api-secret-token'), body: req.body }); res.sendStatus(hookStatus); });
  ({ base: hookBase, close: closeHook } = await listen(hook));
});
afterAll(async () => { await close(); await closeHook(); });
beforeEach(() => { telegram.reset(); hooked.length = 0; hookStatus = 200; });

const api = (method: string, body: unknown): Promise<Reply> => postJson(base, `/bot${TOKEN}/${method}`, body);
const keyboard = (data: string) => ({ inline_keyboard: [[{ text: '📞 Перезвонить', callback_data: data }]] });
async function sendWithButton(data = 'cb1:0367:1.2'): Promise<number> {
  const r = await api('sendMessage', { chat_id: CHAT, text: 'missed', reply_markup: keyboard(data) });
  return (r.body.result as { message_id: number }).message_id;
}

describe('inline keyboards', () => {
  it('sendMessage keeps the keyboard (JSON or a JSON string) and returns it; callback_data over 64 bytes is BUTTON_DATA_INVALID', async () => {
    const r = await api('sendMessage', { chat_id: CHAT, text: 'a', reply_markup: JSON.stringify(keyboard('x')) });
    expect(r.body).toMatchObject({ ok: true, result: { reply_markup: keyboard('x') } });
    const bad = await api('sendMessage', { chat_id: CHAT, text: 'b', reply_markup: keyboard('x'.repeat(65)) });
    expect(bad).toMatchObject({ status: 400, body: { description: 'Bad Request: BUTTON_DATA_INVALID' } });
  });
  it('editMessageText without reply_markup removes the buttons; the same text and buttons again is "not modified"', async () => {
    const id = await sendWithButton();
    expect((await api('editMessageText', { chat_id: CHAT, message_id: id, text: 'missed', reply_markup: keyboard('cb1:0367:1.2') })).body)
      .toMatchObject({ ok: false, description: expect.stringContaining('message is not modified') });
    expect((await api('editMessageText', { chat_id: CHAT, message_id: id, text: 'missed' })).body).toMatchObject({ ok: true });
    expect(telegram.state.find('7000000368', CHAT, id)!.replyMarkup).toBeUndefined();
  });
});

describe('presses and updates', () => {
  it('getUpdates: a press is a callback_query update, kept until a higher offset confirms it', async () => {
    const id = await sendWithButton();
    const q = await telegram.press({ chatId: CHAT, messageId: id, fromFirstName: 'Анна' });
    if (typeof q === 'string') throw new Error(q);
    const first = await api('getUpdates', {});
    const updates = first.body.result as { update_id: number; callback_query: Record<string, unknown> }[];
    expect(updates).toHaveLength(1);
    expect(updates[0]!.callback_query).toMatchObject({ id: q.id, data: 'cb1:0367:1.2', from: { id: CHAT, first_name: 'Анна', is_bot: false }, message: { message_id: id, chat: { id: CHAT } } });
    expect((await api('getUpdates', {})).body.result).toHaveLength(1);
    expect((await api('getUpdates', { offset: updates[0]!.update_id + 1 })).body.result).toEqual([]);
  });
  it('long polling waits for the press, and a second poll ends the first with 409', async () => {
    const id = await sendWithButton();
    const t0 = Date.now();
    const waiting = api('getUpdates', { timeout: 5 });
    await new Promise((r) => setTimeout(r, 200));
    await telegram.press({ chatId: CHAT, messageId: id });
    const got = await waiting;
    expect(got.body.result).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(2000);
    const older = api('getUpdates', { offset: (got.body.result as { update_id: number }[])[0]!.update_id + 1, timeout: 5 });
    await new Promise((r) => setTimeout(r, 100));
    const newer = api('getUpdates', { timeout: 1 });
    expect((await older).status).toBe(409);
    expect((await newer).body.result).toEqual([]);
  });
  it('answerCallbackQuery answers a press once; a second answer or an unknown id is refused', async () => {
    const id = await sendWithButton();
    const q = await telegram.press({ chatId: CHAT, messageId: id });
    if (typeof q === 'string') throw new Error(q);
    expect((await api('answerCallbackQuery', { callback_query_id: q.id, text: 'Звоним', show_alert: true })).body).toEqual({ ok: true, result: true });
    expect(telegram.updates.callbacks.get(q.id)!.answer).toMatchObject({ text: 'Звоним', showAlert: true });
    expect((await api('answerCallbackQuery', { callback_query_id: q.id })).status).toBe(400);
    expect((await api('answerCallbackQuery', { callback_query_id: '42' })).body).toMatchObject({ description: expect.stringContaining('query ID is invalid') });
  });
  it('a press on a message without that button is refused', async () => {
    const plain = await api('sendMessage', { chat_id: CHAT, text: 'plain' });
    expect(await telegram.press({ chatId: CHAT, messageId: (plain.body.result as { message_id: number }).message_id })).toBe('the message has no such callback button');
  });
});

describe('webhooks', () => {
  it('setWebhook: the press is POSTed with the secret token header; getUpdates is then 409; a bad secret token is refused', async () => {
    expect((await api('setWebhook', { url: `${hookBase}/hook`, secret_token: 'bad token!' })).body).toMatchObject({ ok: false, description: expect.stringContaining('secret token') });
    expect((await api('setWebhook', { url: `${hookBase}/hook`, secret_token: 'right_Token-1', allowed_updates: ['callback_query'] })).body).toEqual({ ok: true, result: true });
    const id = await sendWithButton();
    const q = await telegram.press({ chatId: CHAT, messageId: id });
    if (typeof q === 'string') throw new Error(q);
    expect(q.delivery).toMatchObject({ via: 'webhook', taken: true });
    expect(hooked).toHaveLength(1);
    expect(hooked[0]).toMatchObject({ secret: 'right_Token-1', body: { callback_query: { id: q.id } } });
    expect((await api('getUpdates', {})).status).toBe(409);
    expect((await api('getWebhookInfo', {})).body.result).toMatchObject({ url: `${hookBase}/hook`, pending_update_count: 0 });
  });
  it('a webhook answering non-2xx keeps the update pending (retried), and getWebhookInfo says why', async () => {
    hookStatus = 403;
    await api('setWebhook', { url: `${hookBase}/hook`, secret_token: 'x' });
    const id = await sendWithButton();
    const q = await telegram.press({ chatId: CHAT, messageId: id });
    if (typeof q === 'string') throw new Error(q);
    expect(q.delivery.attempts[0]!.status).toBe(403);
    expect((await api('getWebhookInfo', {})).body.result).toMatchObject({ pending_update_count: 1, last_error_message: 'Wrong response from the webhook: 403' });
    await api('deleteWebhook', {});
    expect((await api('getUpdates', {})).body.result).toHaveLength(1);
  });
});
