/**
 * A send-rate limiter shared by every worker process: token buckets per chat, per group and per bot
 * live in Redis and are drawn from atomically by one Lua script (see takeTokens.ts).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { bucketsFor, chatBucket, TELEGRAM_SEND_LIMITS, type SendLimits } from './limits.js';
import { HOLD_LUA, TAKE_TOKENS_LUA } from './takeTokens.js';

export interface RateLimiterOptions {
  /** Key prefix (the queue prefix, so keys share its Cluster hash tag). */
  prefix: string;
  limits?: SendLimits;
}

/** The wait the limiter asked for is longer than the caller allowed. */
export class RateLimitWaitTooLong extends Error {
  constructor(readonly waitMs: number) {
    super(`telegram rate limit: next slot in ${waitMs} ms`);
    this.name = 'RateLimitWaitTooLong';
  }
}

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TelegramRateLimiter {
  private readonly base: string;
  private readonly limits: SendLimits;

  constructor(private readonly redis: Redis, options: RateLimiterOptions) {
    this.base = `${options.prefix}:telegram:rate`;
    this.limits = options.limits ?? TELEGRAM_SEND_LIMITS;
  }

  /** Takes a slot for one message now if every bucket has one: 0; else the ms to wait (nothing taken). */
  async tryTake(botId: string, chatId: number | string): Promise<number> {
    const buckets = bucketsFor(this.base, botId, chatId, this.limits);
    const args = buckets.flatMap((b) => [String(b.capacity), String(b.perMs)]);
    return Number(await this.run(TAKE_TOKENS_LUA, buckets.map((b) => b.key), args));
  }

  /** Waits for a slot; gives up (RateLimitWaitTooLong) rather than wait longer than maxWaitMs in all. */
  async take(botId: string, chatId: number | string, maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const waitMs = await this.tryTake(botId, chatId);
      if (waitMs === 0) return;
      if (Date.now() + waitMs > deadline) throw new RateLimitWaitTooLong(waitMs);
      await sleep(waitMs);
    }
  }

  /** After a 429 for this chat: no process sends to it for `ms`. */
  async hold(botId: string, chatId: number | string, ms: number): Promise<void> {
    const chat = chatBucket(this.base, botId, chatId, this.limits);
    await this.run(HOLD_LUA, [chat.key], [String(Math.max(0, Math.ceil(ms)))]);
  }

  /** EVALSHA, loading the script on a fresh Redis (NOSCRIPT). */
  private async run(lua: string, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(sha1(lua), keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(lua, keys.length, ...keys, ...args);
    }
  }
}
