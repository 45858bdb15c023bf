/**
 * libs/telegram's bot client against the real sandbox Telegram (in-process, port 0), the way workers
 * will use it: classified results, our own retries, the Redis limiter shared by two "processes".
 */
import { Writable } from 'node:stream';
import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redactPaths } from '@callpipe/logging';
import { register } from '@callpipe/metrics';
import { BotClient, TelegramRateLimiter, type BotClientOptions, type SendLimits } from '@callpipe/telegram';
import { TelegramSandbox, type CallRecord } from '../../apps/sandbox/src/telegram/index.js';
import { postJson } from '../support/httpClient.js';
import { freePort } from '../support/listen.js';
import { serveSandbox } from '../support/sandboxServer.js';
import { testConfig, testLogger } from '../support/testEnv.js';

const config = testConfig();
const telegram = new TelegramSandbox();
let base: string;
let close: () => Promise<void>;
let redisA: Redis;
let redisB: Redis;

beforeAll(async () => {
  ({ base, close } = await serveSandbox({ telegram }));
  redisA = new Redis(config.redisUrl);
  redisB = new Redis(config.redisUrl);
});
afterAll(async () => {
  await close();
  await redisA.quit();
  await redisB.quit();
});
beforeEach(() => telegram.reset());

/** A fresh bot per test: its own buckets and chats. */
const newToken = (): string => `${randomInt(1, 2 ** 40)}:AAH-sandbox-test-secret-${randomInt(1e9)}`;

/** A logger whose lines the test can read (same redaction as production). */
function capturedLogger(): { log: Logger; lines: () => string } {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } });
  return { log: pino({ level: 'debug', redact: { paths: redactPaths(), censor: '[redacted]' } }, sink), lines: () => out };
}

function client(token: string, extra: Partial<BotClientOptions> = {}): BotClient {
  return new BotClient({ token, apiRoot: base, timeoutMs: 2000, log: testLogger(), retry: { backoffBaseMs: 50 }, ...extra });
}

const admin = (path: string, body: unknown) => postJson(base, `/_sandbox/telegram/${path}`, body);
const callsOf = (chatId: number): CallRecord[] => telegram.state.callLog({ chatId });
const texts = (chatId: number): string[] => telegram.state.messages(chatId).map((m) => m.text);

async function counter(method: string, result: string): Promise<number> {
  const m = (await register.getSingleMetric('callpipe_telegram_requests_total')?.get())?.values ?? [];
  return m.find((v) => v.labels.method === method && v.labels.result === result)?.value ?? 0;
}

describe('BotClient against the sandbox Telegram', () => {
  it('sends, edits and deletes, each answering ok; the chat shows the result', async () => {
    const bot = client(newToken());
    const sent = await bot.send(101, 'first');
    expect(sent).toMatchObject({ action: 'ok', value: { messageId: 1 }, attempts: 1 });
    expect(await bot.edit(101, 1, 'edited')).toMatchObject({ action: 'ok', value: true });
    expect(texts(101)).toEqual(['edited']);
    expect(await bot.send(101, 'second')).toMatchObject({ action: 'ok', value: { messageId: 2 } });
    expect(await bot.delete(101, 1)).toMatchObject({ action: 'ok', value: true });
    expect(texts(101)).toEqual(['second']);
  });

  it('an edit to the same text is not-modified, not an error', async () => {
    const bot = client(newToken());
    await bot.send(102, 'same');
    expect(await bot.edit(102, 1, 'same')).toEqual({ action: 'not-modified', attempts: 1 });
  });

  it('a delete of a message already gone is skipped, and one older than 48 h too', async () => {
    const bot = client(newToken());
    await bot.send(103, 'a');
    await bot.send(103, 'b');
    await bot.delete(103, 1);
    expect(await bot.delete(103, 1)).toMatchObject({ action: 'skip', reason: 'Bad Request: message to delete not found', attempts: 1 });
    await admin('clock', { shiftSeconds: 49 * 3600 });
    expect(await bot.delete(103, 2)).toMatchObject({ action: 'skip', reason: "Bad Request: message can't be deleted for everyone" });
    expect(texts(103)).toEqual(['b']);
  });

  it('a user who blocked the bot gives deactivate-recipient at once, without retries', async () => {
    await admin('faults', { blockedChats: [104] });
    const bot = client(newToken());
    expect(await bot.send(104, 'hi')).toEqual({ action: 'deactivate-recipient', reason: 'Forbidden: bot was blocked by the user', attempts: 1 });
    expect(callsOf(104)).toHaveLength(1);
  });

  it('honours a 429 retry_after: waits that long, then the message goes through', async () => {
    await admin('faults', { next429: 1, retryAfterSec: 1 });
    const bot = client(newToken());
    const before = await counter('sendMessage', '429');
    const started = Date.now();
    const r = await bot.send(105, 'after the wait');
    const elapsed = Date.now() - started;
    expect(r).toMatchObject({ action: 'ok', attempts: 2 });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(callsOf(105).map((c) => c.status)).toEqual([429, 200]);
    const [refused, accepted] = callsOf(105).map((c) => Date.parse(c.at));
    expect(accepted! - refused!).toBeGreaterThanOrEqual(950);
    expect(await counter('sendMessage', '429')).toBe(before + 1);
  });

  it('a reserved send slot is the send\'s: one limiter token per message, and a busy chat says how long until one', async () => {
    // A burst of two, then one per minute: the third message of the chat has no slot for a while.
    const limits: SendLimits = { chatIntervalMs: 60_000, chatBurst: 2, groupPerMinute: 20, botPerSecond: 30 };
    const limiter = new TelegramRateLimiter(redisA, { prefix: config.queuePrefix, limits });
    const bot = client(newToken(), { limiter });
    const first = await bot.reserveSendSlot(111);
    expect(first).toEqual({ waitMs: 0, taken: true });
    expect(await bot.send(111, 'one', { slotTaken: first.taken })).toMatchObject({ action: 'ok', attempts: 1 });
    // The reserved send took no second token: the burst's other one is still there.
    expect(await bot.reserveSendSlot(111)).toEqual({ waitMs: 0, taken: true });
    const busy = await bot.reserveSendSlot(111);
    expect(busy.taken).toBe(false);
    expect(busy.waitMs).toBeGreaterThan(50_000);
    expect(callsOf(111).map((c) => c.status)).toEqual([200]);
  });

  it('hands a long retry_after back to the caller and holds the chat for every process', async () => {
    await admin('faults', { next429: 1, retryAfterSec: 30 });
    const token = newToken();
    const limiterA = new TelegramRateLimiter(redisA, { prefix: config.queuePrefix });
    const limiterB = new TelegramRateLimiter(redisB, { prefix: config.queuePrefix });
    const bot = client(token, { limiter: limiterA });
    const r = await bot.send(106, 'x');
    expect(r).toEqual({ action: 'retry-after', seconds: 30, reason: 'Too Many Requests: retry after 30', attempts: 1 });
    // Another worker's limiter now keeps away from chat 106 for ~30 s.
    expect(await limiterB.tryTake(bot.botId, 106)).toBeGreaterThan(28_000);
  });

  it('retries 5xx with backoff and succeeds when the server recovers', async () => {
    await admin('faults', { next5xx: 2 });
    const bot = client(newToken());
    expect(await bot.send(107, 'eventually')).toMatchObject({ action: 'ok', attempts: 3 });
    expect(callsOf(107).map((c) => c.status)).toEqual([500, 500, 200]);
  });

  it('gives retry-backoff after the last attempt when Telegram stays down', async () => {
    await admin('faults', { rate5xx: 1 });
    const bot = client(newToken(), { retry: { maxAttempts: 2, backoffBaseMs: 10 } });
    expect(await bot.send(108, 'x')).toMatchObject({ action: 'retry-backoff', attempts: 2 });
  });

  it('a slow Telegram times out into retry-backoff', async () => {
    await admin('faults', { delayMs: 800 });
    const bot = client(newToken(), { timeoutMs: 200, retry: { maxAttempts: 1 } });
    const r = await bot.send(109, 'x');
    expect(r).toMatchObject({ action: 'retry-backoff', attempts: 1 });
    expect((r as { reason: string }).reason).toMatch(/^timeout/);
  });

  it('an unknown token gives up, logs it with the call id, and never shows the token', async () => {
    const strict = new TelegramSandbox({ tokens: ['1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] });
    const server = await serveSandbox({ telegram: strict });
    try {
      const token = newToken();
      const { log, lines } = capturedLogger();
      const bot = new BotClient({ token, apiRoot: server.base, timeoutMs: 2000, log });
      const r = await bot.send(110, 'x', { enterprise: '0367', callId: '1759230684.16' });
      expect(r).toEqual({ action: 'give-up', reason: '401 Unauthorized', attempts: 1 });
      const logged = lines();
      expect(logged).toContain('"callId":"1759230684.16"');
      expect(logged).toContain('"enterprise":"0367"');
      expect(logged).toContain('gave up');
      expect(logged).not.toContain(token.split(':')[1]);
      expect(JSON.stringify(bot)).not.toContain(token.split(':')[1]);
    } finally {
      await server.close();
    }
  });

  it('a refused connection is a retry-backoff whose reason and logs hold no token', async () => {
    const token = newToken();
    const { log, lines } = capturedLogger();
    const bot = new BotClient({ token, apiRoot: `http://127.0.0.1:${await freePort()}`, timeoutMs: 1000, log, retry: { maxAttempts: 2, backoffBaseMs: 10 } });
    const r = await bot.send(111, 'x', { callId: 'c-1' });
    expect(r).toMatchObject({ action: 'retry-backoff', attempts: 2 });
    const secret = token.split(':')[1]!;
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(lines()).not.toContain(secret);
    expect(lines()).toContain('"callId":"c-1"');
  });

  it('getMe answers the bot behind the token', async () => {
    const token = newToken();
    const r = await client(token).getMe();
    expect(r).toMatchObject({ action: 'ok', value: { id: Number(token.split(':')[0]), is_bot: true } });
  });
});

describe('the Redis limiter keeps a burst under the sandbox per-chat limit', () => {
  // Sandbox: 3 at once, then one per 200 ms. Ours: 2 at once, then one per 250 ms.
  const sandboxLimits = { chatBurst: 3, chatIntervalMs: 200 };
  const ours: SendLimits = { chatBurst: 2, chatIntervalMs: 250, groupPerMinute: 20, botPerSecond: 30 };

  it('without the limiter, a burst of 10 to one chat meets 429s', async () => {
    await admin('limits', sandboxLimits);
    const bot = client(newToken(), { retry: { maxAttempts: 1 } });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => bot.send(201, `m${i}`)));
    expect(results.filter((r) => r.action === 'retry-after').length).toBeGreaterThanOrEqual(5);
  });

  it('with it, two clients (two Redis connections) send the same burst with no 429 at all', async () => {
    await admin('limits', sandboxLimits);
    const token = newToken();
    const a = client(token, { limiter: new TelegramRateLimiter(redisA, { prefix: config.queuePrefix, limits: ours }), retry: { maxAttempts: 1 } });
    const b = client(token, { limiter: new TelegramRateLimiter(redisB, { prefix: config.queuePrefix, limits: ours }), retry: { maxAttempts: 1 } });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).send(202, `m${i}`)));
    const elapsed = Date.now() - started;
    expect(results.map((r) => r.action)).toEqual(Array(10).fill('ok'));
    expect(callsOf(202).filter((c) => c.status === 429)).toEqual([]);
    expect(texts(202)).toHaveLength(10);
    // 2 at once, then 8 spaced 250 ms apart: about 2 s, not 10 at once.
    expect(elapsed).toBeGreaterThanOrEqual(1800);
  });
});
