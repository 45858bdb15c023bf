/** The sandbox Telegram Bot API over HTTP, as a bot client sees it: envelopes, errors, limits, faults, records. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson, postJson, type Reply } from '../../../../test/support/httpClient.js';
import { listen } from '../../../../test/support/listen.js';
import { testLogger } from '../../../../test/support/testEnv.js';
import { EmulatedHost } from '../host/emulatedHost.js';
import { sandboxHandler } from '../sandbox.js';
import { TelegramSandbox } from './telegramSandbox.js';

const TOKEN = '7000000367:AAE-demo-june-bot-token-sandbox-only';
const CHAT = 374573193;

let base: string;
let close: () => Promise<void>;
const telegram = new TelegramSandbox();

beforeAll(async () => {
  const host = new EmulatedHost({ ingestUrl: 'http://127.0.0.1:9', token: 't', callsPerMinute: 0, speed: 1, log: testLogger() });
  ({ base, close } = await listen(sandboxHandler({ host, telegram })));
});
afterAll(async () => close());
beforeEach(() => telegram.reset());

const api = (method: string, body: unknown, token = TOKEN): Promise<Reply> => postJson(base, `/bot${token}/${method}`, body);
const admin = (path: string, body: unknown): Promise<Reply> => postJson(base, `/_sandbox/telegram/${path}`, body);
const messages = async (chatId = CHAT): Promise<{ message_id: number; text: string; edited_at?: string }[]> =>
  (await fetch(`${base}/_sandbox/telegram/chats/${chatId}/messages`)).json() as Promise<{ message_id: number; text: string }[]>;

describe('sandbox Telegram: methods and envelopes', () => {
  it('getMe answers {ok:true,result} with the bot of the token', async () => {
    const r = await api('getMe', {});
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, result: { id: 7000000367, is_bot: true } });
  });

  it('answers 401 Unauthorized to a token that is not shaped like one', async () => {
    const r = await api('getMe', {}, 'not-a-token');
    expect(r).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
  });

  it('with tokens configured, answers 401 to every other token', async () => {
    const strict = new TelegramSandbox({ tokens: [TOKEN] });
    expect((await strict.call(TOKEN, 'getMe', {})).status).toBe(200);
    expect((await strict.call('123:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'getMe', {})).status).toBe(401);
  });

  it('answers 404 Not Found to an unknown method', async () => {
    const r = await api('sendSticker', { chat_id: CHAT });
    expect(r).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
  });

  it('sendMessage takes JSON, form and query params, and numbers messages per chat', async () => {
    const a = await api('sendMessage', { chat_id: CHAT, text: 'один' });
    const b = await fetch(`${base}/bot${TOKEN}/sendMessage`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ chat_id: String(CHAT), text: 'два' }),
    }).then((r) => r.json()) as { result: { message_id: number } };
    const c = await getJson(base, `/bot${TOKEN}/sendMessage?chat_id=${CHAT}&text=${encodeURIComponent('три')}`);
    expect(a.body).toMatchObject({ ok: true, result: { message_id: 1, chat: { id: CHAT, type: 'private' }, text: 'один' } });
    expect(b.result.message_id).toBe(2);
    expect(c.body).toMatchObject({ ok: true, result: { message_id: 3 } });
    expect((await messages()).map((m) => m.text)).toEqual(['один', 'два', 'три']);
  });

  it('a body that does not parse, or over 1 MB, gets the 400 envelope and sends nothing; body params win over the query', async () => {
    const post = (body: string, type = 'application/json') => fetch(`${base}/bot${TOKEN}/sendMessage?chat_id=1&text=query`, {
      method: 'POST', headers: { 'content-type': type }, body,
    }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.json() as unknown }));
    const invalid = { ok: false, error_code: 400, description: 'Bad Request: invalid request body' };
    expect(await post('{"chat_id": 374573193, "text":')).toEqual({ status: 400, type: 'application/json; charset=utf-8', body: invalid });
    expect(await post(JSON.stringify({ chat_id: CHAT, text: 'x'.repeat(1024 * 1024) }))).toMatchObject({ status: 400, body: invalid });
    expect(await messages()).toEqual([]);
    expect(await post(JSON.stringify({ chat_id: CHAT, text: 'body' }))).toMatchObject({ status: 200, body: { ok: true, result: { chat: { id: CHAT }, text: 'body' } } });
    // A body type the Bot API does not read here (plain text) leaves the query's params.
    expect(await post('ignored', 'text/plain')).toMatchObject({ status: 200, body: { ok: true, result: { chat: { id: 1 }, text: 'query' } } });
  });

  it('refuses an empty text and a text over 4096 characters, and takes exactly 4096', async () => {
    expect(await api('sendMessage', { chat_id: CHAT, text: '' })).toEqual({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } });
    expect(await api('sendMessage', { chat_id: CHAT })).toMatchObject({ status: 400, body: { description: 'Bad Request: message text is empty' } });
    expect(await api('sendMessage', { chat_id: CHAT, text: 'x'.repeat(4097) })).toEqual({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message is too long' } });
    expect((await api('sendMessage', { chat_id: CHAT, text: 'x'.repeat(4096) })).status).toBe(200);
  });

  it('deleteMessage removes the message; a second delete answers "message to delete not found"', async () => {
    await api('sendMessage', { chat_id: CHAT, text: 'first' });
    await api('sendMessage', { chat_id: CHAT, text: 'second' });
    expect(await api('deleteMessage', { chat_id: CHAT, message_id: 1 })).toEqual({ status: 200, body: { ok: true, result: true } });
    expect((await messages()).map((m) => m.text)).toEqual(['second']);
    expect(await api('deleteMessage', { chat_id: CHAT, message_id: 1 })).toEqual({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message to delete not found' } });
  });

  it('refuses to delete a message older than 48 hours (sandbox clock shifted)', async () => {
    await api('sendMessage', { chat_id: CHAT, text: 'old' });
    expect((await admin('clock', { shiftSeconds: 47 * 3600 })).status).toBe(200);
    await api('sendMessage', { chat_id: CHAT, text: 'recent' });
    await admin('clock', { shiftSeconds: 2 * 3600 });
    expect(await api('deleteMessage', { chat_id: CHAT, message_id: 1 })).toMatchObject({ status: 400, body: { description: "Bad Request: message can't be deleted for everyone" } });
    expect((await api('deleteMessage', { chat_id: CHAT, message_id: 2 })).status).toBe(200);
    expect((await messages()).map((m) => m.text)).toEqual(['old']);
  });

  it('editMessageText replaces the text; the same text answers "message is not modified"', async () => {
    await api('sendMessage', { chat_id: CHAT, text: 'before' });
    const r = await api('editMessageText', { chat_id: CHAT, message_id: 1, text: 'after' });
    expect(r.body).toMatchObject({ ok: true, result: { message_id: 1, text: 'after' } });
    expect((r.body.result as { edit_date?: number }).edit_date).toBeTypeOf('number');
    const same = await api('editMessageText', { chat_id: CHAT, message_id: 1, text: 'after' });
    expect(same.status).toBe(400);
    expect(same.body.description).toMatch(/^Bad Request: message is not modified/);
    expect(await api('editMessageText', { chat_id: CHAT, message_id: 9, text: 'x' })).toMatchObject({ status: 400, body: { description: 'Bad Request: message to edit not found' } });
    expect((await messages()).map((m) => m.text)).toEqual(['after']);
  });

  it('answers 403 "bot was blocked by the user" for a blocked chat, and sends elsewhere', async () => {
    await admin('faults', { blockedChats: [CHAT] });
    expect(await api('sendMessage', { chat_id: CHAT, text: 'hi' })).toEqual({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } });
    expect((await api('sendMessage', { chat_id: 555, text: 'hi' })).status).toBe(200);
    expect(await messages()).toEqual([]);
  });
});

describe('sandbox Telegram: flood limits', () => {
  it('per chat: a burst of 3 passes, the 4th answers 429 with retry_after', async () => {
    const replies = [];
    for (let i = 0; i < 4; i += 1) replies.push(await api('sendMessage', { chat_id: CHAT, text: `m${i}` }));
    expect(replies.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(replies[3]).toEqual({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } });
    expect(await messages()).toHaveLength(3);
  });

  it('per group: 20 a minute by default, the 21st waits for the next token', async () => {
    await admin('limits', { chatBurst: 100, chatIntervalMs: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await api('sendMessage', { chat_id: -1001, text: `g${i}` })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    const refused = await api('sendMessage', { chat_id: -1001, text: 'late' });
    expect(refused.status).toBe(429);
    expect((refused.body.parameters as { retry_after: number }).retry_after).toBeGreaterThanOrEqual(2);
  });

  it('per bot: messages to all chats of a bot share one per-second bucket', async () => {
    await admin('limits', { botPerSecond: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await api('sendMessage', { chat_id: 1000 + i, text: 'x' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    // Another bot is not affected.
    expect((await api('sendMessage', { chat_id: 1000, text: 'x' }, '42:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(200);
  });

  it('limits are changed through the admin API and restored by reset', async () => {
    expect((await admin('limits', { chatBurst: 1 })).body).toMatchObject({ chatBurst: 1, chatIntervalMs: 1000 });
    expect((await api('sendMessage', { chat_id: CHAT, text: 'a' })).status).toBe(200);
    expect((await api('sendMessage', { chat_id: CHAT, text: 'b' })).status).toBe(429);
    await admin('reset', {});
    expect((await getJson(base, '/_sandbox/telegram/limits')).body).toMatchObject({ chatBurst: 3 });
    expect((await admin('limits', { chatBurst: -1 })).status).toBe(400);
  });
});

describe('sandbox Telegram: faults and records', () => {
  it('next429 fails exactly the next calls with the configured retry_after', async () => {
    await admin('faults', { next429: 2, retryAfterSec: 7 });
    const a = await api('sendMessage', { chat_id: CHAT, text: 'x' });
    const b = await api('getMe', {});
    const c = await api('sendMessage', { chat_id: CHAT, text: 'y' });
    expect(a).toEqual({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } });
    expect(b.status).toBe(429);
    expect(c.status).toBe(200);
  });

  it('rate5xx 1 answers every call 500 until reset', async () => {
    await admin('faults', { rate5xx: 1 });
    expect(await api('sendMessage', { chat_id: CHAT, text: 'x' })).toEqual({ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } });
    await admin('reset', {});
    expect((await api('sendMessage', { chat_id: CHAT, text: 'x' })).status).toBe(200);
  });

  it('rate429 0.5 refuses about half the calls', async () => {
    await admin('faults', { rate429: 0.5, retryAfterSec: 1 });
    await admin('limits', { botPerSecond: 10_000 });
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => api('getMe', { i }).then((r) => r.status)));
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBeGreaterThan(60);
    expect(refused).toBeLessThan(140);
  });

  it('delayMs slows every answer', async () => {
    await admin('faults', { delayMs: 300 });
    const started = Date.now();
    await api('getMe', {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('refuses a fault body with a bad or unknown field, naming it', async () => {
    expect(await admin('faults', { rate429: 2 })).toMatchObject({ status: 400, body: { error: 'rate429 must be a number from 0 to 1' } });
    expect(await admin('faults', { storm: true })).toMatchObject({ status: 400, body: { error: 'unknown fault "storm"' } });
  });

  it('records every call with its answer, filterable by chat, and never the token', async () => {
    await api('sendMessage', { chat_id: CHAT, text: 'hello' });
    await api('sendMessage', { chat_id: 555, text: 'other' });
    await api('deleteMessage', { chat_id: CHAT, message_id: 42 });
    await api('getMe', {}, 'bad');
    const all = await getJson(base, '/_sandbox/telegram/calls');
    const mine = await getJson(base, `/_sandbox/telegram/calls?chat_id=${CHAT}`);
    expect((all.body as unknown as unknown[]).length).toBe(4);
    expect(mine.body).toMatchObject([
      { method: 'sendMessage', chatId: CHAT, text: 'hello', status: 200, ok: true, resultMessageId: 1, botId: '7000000367' },
      { method: 'deleteMessage', chatId: CHAT, messageId: 42, status: 400, ok: false, description: 'Bad Request: message to delete not found' },
    ]);
    expect(JSON.stringify(all.body)).not.toContain('AAE-demo');
  });
});

describe('sandbox pages', () => {
  it('serves the chat page, which polls the chats', async () => {
    const res = await fetch(`${base}/telegram`);
    const html = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toContain('/_sandbox/telegram/chats');
    expect(html).toContain('setInterval(refresh');
  });

  it('lists each chat with its current messages for the page', async () => {
    await api('sendMessage', { chat_id: CHAT, text: 'a' });
    await api('sendMessage', { chat_id: CHAT, text: 'b' });
    await api('deleteMessage', { chat_id: CHAT, message_id: 1 });
    const chats = await getJson(base, '/_sandbox/telegram/chats');
    expect(chats.body).toEqual([{ bot_id: '7000000367', chat_id: CHAT, messages: [expect.objectContaining({ message_id: 2, text: 'b' })] }]);
  });

  it('keeps the emulated host page and status, now linking to the Telegram page', async () => {
    const home = await (await fetch(`${base}/`)).text();
    expect(home).toContain('Emulated Asterisk host');
    expect(home).toContain('href="/telegram"');
    expect((await getJson(base, '/emulator/status')).body).toMatchObject({ running: false, callsSent: 0 });
  });
});
