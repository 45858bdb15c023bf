/**
 * Telegram's send-rate limiter shared by every worker process: the buckets of one message (its bot,
 * chat and group; limits.ts) drawn from the shared Redis token buckets of @callpipe/ratelimit.
 */
import type { Redis } from 'ioredis';
import { RateLimitWaitTooLong, TokenBuckets } from '@callpipe/ratelimit';
import { bucketsFor, chatBucket, TELEGRAM_SEND_LIMITS, type SendLimits } from './limits.js';

export { RateLimitWaitTooLong };

export interface RateLimiterOptions {
  /** Key prefix (the queue prefix, so keys share its Cluster hash tag). */
  prefix: string;
  limits?: SendLimits;
}

export class TelegramRateLimiter {
  private readonly base: string;
  private readonly limits: SendLimits;
  private readonly buckets: TokenBuckets;

  constructor(redis: Redis, options: RateLimiterOptions) {
    this.base = `${options.prefix}:telegram:rate`;
    this.limits = options.limits ?? TELEGRAM_SEND_LIMITS;
    this.buckets = new TokenBuckets(redis);
  }

  /** Takes a slot for one message now if every bucket has one: 0; else the ms to wait (nothing taken). */
  tryTake(botId: string, chatId: number | string): Promise<number> {
    return this.buckets.tryTake(bucketsFor(this.base, botId, chatId, this.limits));
  }

  /** Waits for a slot; gives up (RateLimitWaitTooLong) rather than wait longer than maxWaitMs in all. */
  take(botId: string, chatId: number | string, maxWaitMs: number): Promise<void> {
    return this.buckets.take(bucketsFor(this.base, botId, chatId, this.limits), maxWaitMs, 'telegram rate limit');
  }

  /** After a 429 for this chat: no process sends to it for `ms`. */
  hold(botId: string, chatId: number | string, ms: number): Promise<void> {
    return this.buckets.hold(chatBucket(this.base, botId, chatId, this.limits), ms);
  }
}
