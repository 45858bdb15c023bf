/** What the telegram processor needs besides the job context: Redis for chat state, and the Bot API. */
import type { Redis } from 'ioredis';
import type { Logger } from '@callpipe/logging';
import { BotClient, TelegramRateLimiter, type RetryPolicy, type SendLimits } from '@callpipe/telegram';

export interface TelegramSyncOptions {
  redis: Redis;
  /** The queue prefix: chat state and limiter keys live under it. */
  prefix: string;
  /** TELEGRAM_API_BASE. */
  apiRoot: string;
  timeoutMs: number;
  limits?: SendLimits;
  retry?: Partial<RetryPolicy>;
  /** Longest wait for one enrichment lookup; a slower one leaves its field out. */
  lookupTimeoutMs?: number;
}

export interface TelegramSyncDeps extends TelegramSyncOptions {
  clientFor(token: string, log: Logger): BotClient;
}

/** One BotClient per bot token, all sharing the Redis limiter (limits hold across processes). */
export function telegramSyncDeps(o: TelegramSyncOptions): TelegramSyncDeps {
  const limiter = new TelegramRateLimiter(o.redis, { prefix: o.prefix, ...(o.limits ? { limits: o.limits } : {}) });
  const clients = new Map<string, BotClient>();
  return {
    ...o,
    clientFor(token, log) {
      let c = clients.get(token);
      if (!c) {
        c = new BotClient({ token, apiRoot: o.apiRoot, timeoutMs: o.timeoutMs, log, limiter, ...(o.retry ? { retry: o.retry } : {}) });
        clients.set(token, c);
      }
      return c;
    },
  };
}
