import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../../test/support/testEnv.js';
import type { SendLimits } from './limits.js';
import { RateLimitWaitTooLong, TelegramRateLimiter } from './rateLimiter.js';

// Two limiters on two Redis connections stand for two worker processes.
const config = testConfig();
let redisA: Redis;
let redisB: Redis;

beforeAll(() => {
  redisA = new Redis(config.redisUrl);
  redisB = new Redis(config.redisUrl);
});
afterAll(async () => {
  await redisA.quit();
  await redisB.quit();
});

const loose: SendLimits = { chatIntervalMs: 1, chatBurst: 1000, groupPerMinute: 100_000, botPerSecond: 1000 };
function pair(limits: Partial<SendLimits>): [TelegramRateLimiter, TelegramRateLimiter] {
  const all = { ...loose, ...limits };
  return [
    new TelegramRateLimiter(redisA, { prefix: config.queuePrefix, limits: all }),
    new TelegramRateLimiter(redisB, { prefix: config.queuePrefix, limits: all }),
  ];
}
const newBot = (): string => String(randomInt(1, 2 ** 40));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('TelegramRateLimiter (buckets in Redis, shared by processes)', () => {
  it('grants two processes together exactly the chat burst, then asks them to wait about one interval', async () => {
    const [a, b] = pair({ chatBurst: 3, chatIntervalMs: 1000 });
    const bot = newBot();
    const waits = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).tryTake(bot, 374573193)));
    expect(waits.filter((w) => w === 0)).toHaveLength(3);
    for (const w of waits.filter((x) => x > 0)) {
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThanOrEqual(1000);
    }
  });

  it('grants the next message to either process once the interval has passed', async () => {
    const [a, b] = pair({ chatBurst: 1, chatIntervalMs: 300 });
    const bot = newBot();
    expect(await a.tryTake(bot, 42)).toBe(0);
    const wait = await b.tryTake(bot, 42);
    expect(wait).toBeGreaterThan(200);
    await sleep(wait + 10);
    expect(await b.tryTake(bot, 42)).toBe(0);
    expect(await a.tryTake(bot, 42)).toBeGreaterThan(0);
  });

  it('limits a group (negative chat id) to groupPerMinute across processes', async () => {
    const [a, b] = pair({ groupPerMinute: 5 });
    const bot = newBot();
    const waits: number[] = [];
    for (let i = 0; i < 8; i += 1) waits.push(await (i % 2 ? a : b).tryTake(bot, -1001234567890));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    // One token every 12 s: the sixth waits nearly that long.
    for (const w of waits.slice(5)) expect(w).toBeGreaterThan(11_000);
    // A private chat of the same bot has no group bucket.
    expect(await a.tryTake(bot, 5551234)).toBe(0);
  });

  it('limits all chats of one bot together, and other bots not at all', async () => {
    const [a, b] = pair({ botPerSecond: 4 });
    const bot = newBot();
    const waits = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).tryTake(bot, 1000 + i)));
    expect(waits.filter((w) => w === 0)).toHaveLength(4);
    expect(await a.tryTake(newBot(), 1000)).toBe(0);
  });

  it('takes nothing from any bucket when one of them is empty', async () => {
    const [a, b] = pair({ botPerSecond: 2, chatBurst: 1, chatIntervalMs: 10_000 });
    const bot = newBot();
    expect(await a.tryTake(bot, 1)).toBe(0);
    expect(await b.tryTake(bot, 2)).toBe(0);
    const botWait = await a.tryTake(bot, 3);
    expect(botWait).toBeGreaterThan(0);
    expect(botWait).toBeLessThanOrEqual(500);
    await sleep(botWait + 10);
    // Had the refused try drawn chat 3's only token, this would wait ~10 s.
    expect(await b.tryTake(bot, 3)).toBe(0);
  });

  it('after a 429 hold, no process gets the chat until the hold ends', async () => {
    const [a, b] = pair({});
    const bot = newBot();
    await a.hold(bot, 77, 1500);
    const wait = await b.tryTake(bot, 77);
    expect(wait).toBeGreaterThan(1300);
    expect(wait).toBeLessThanOrEqual(1500);
    expect(await b.tryTake(bot, 78)).toBe(0);
  });

  it('take() waits for the slot, and refuses a wait longer than allowed', async () => {
    const [a, b] = pair({ chatBurst: 1, chatIntervalMs: 400 });
    const bot = newBot();
    await a.take(bot, 9, 1000);
    const started = Date.now();
    await b.take(bot, 9, 1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    await expect(a.take(bot, 9, 100)).rejects.toBeInstanceOf(RateLimitWaitTooLong);
  });

  it('keeps no key without an expiry', async () => {
    const [a] = pair({});
    const bot = newBot();
    await a.tryTake(bot, -100);
    await a.hold(bot, 5, 1000);
    const keys = await redisA.keys(`${config.queuePrefix}:telegram:rate:*${bot}*`);
    expect(keys.length).toBe(4);
    for (const k of keys) expect(await redisA.pttl(k)).toBeGreaterThan(0);
  });
});
