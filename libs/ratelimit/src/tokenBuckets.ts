/**
 * A rate limiter shared by every process: token buckets live in Redis and are drawn from atomically
 * by one Lua script (takeTokens.ts). A caller names the buckets one request draws from (a Telegram
 * message: its bot, chat and group; a CRM request: its account's bucket); all of them or none.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { HOLD_LUA, TAKE_TOKENS_LUA } from './takeTokens.js';

export interface Bucket {
  /** Full Redis key (callers put it under their queue prefix, so it shares its Cluster hash tag). */
  key: string;
  /** Tokens the bucket holds when full: the burst allowed. */
  capacity: number;
  /** Tokens added per millisecond. */
  perMs: number;
}

/** A bucket allowing `requests` per `perMs` milliseconds, as a burst of `requests` then spaced out. */
export function bucketOf(key: string, requests: number, perMs: number): Bucket {
  return { key, capacity: requests, perMs: requests / perMs };
}

/** The wait the limiter asked for is longer than the caller allowed. */
export class RateLimitWaitTooLong extends Error {
  constructor(readonly waitMs: number, what = 'rate limit') {
    super(`${what}: next slot in ${waitMs} ms`);
    this.name = 'RateLimitWaitTooLong';
  }
}

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TokenBuckets {
  constructor(private readonly redis: Redis) {}

  /** Takes a token from every bucket now if each has one: 0; else the ms to wait (nothing taken). */
  async tryTake(buckets: readonly Bucket[]): Promise<number> {
    if (buckets.length === 0) return 0;
    const args = buckets.flatMap((b) => [String(b.capacity), String(b.perMs)]);
    return Number(await this.run(TAKE_TOKENS_LUA, buckets.map((b) => b.key), args));
  }

  /** The ms until every bucket would have a token (0: now), taking nothing. */
  async waitMs(buckets: readonly Bucket[]): Promise<number> {
    if (buckets.length === 0) return 0;
    const args = [...buckets.flatMap((b) => [String(b.capacity), String(b.perMs)]), '1'];
    return Number(await this.run(TAKE_TOKENS_LUA, buckets.map((b) => b.key), args));
  }

  /** Waits for a token of every bucket; gives up (RateLimitWaitTooLong) rather than wait longer than maxWaitMs in all. */
  async take(buckets: readonly Bucket[], maxWaitMs: number, what?: string): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const waitMs = await this.tryTake(buckets);
      if (waitMs === 0) return;
      if (Date.now() + waitMs > deadline) throw new RateLimitWaitTooLong(waitMs, what);
      await sleep(waitMs);
    }
  }

  /** After a 429 (or 503 with Retry-After): no process draws from this bucket for `ms`. */
  async hold(bucket: Bucket, ms: number): Promise<void> {
    await this.run(HOLD_LUA, [bucket.key], [String(Math.max(0, Math.ceil(ms)))]);
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
