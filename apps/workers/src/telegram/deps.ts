/** What the telegram processor needs besides the job context: Redis for chat state, and the Bot API. */
import type { Redis } from 'ioredis';
import type { TtlMap } from '@callpipe/config-cache';
import type { Logger } from '@callpipe/logging';
import type { CallLogTelegramEntry, MisconfigRegistry } from '@callpipe/queues';
import type { ProcessorDeps } from '../processors/context.js';
import { BotClient, isBotTokenShape, TelegramRateLimiter, type RetryPolicy, type SendLimits } from '@callpipe/telegram';
import { namesCache, type NamesRow } from './enrich.js';
import type { RecipientsCache } from './recipients.js';

export interface TelegramSyncOptions {
  redis: Redis;
  /** The queue prefix: chat state and limiter keys live under it. */
  prefix: string;
  /** TELEGRAM_API_BASE. */
  apiRoot: string;
  timeoutMs: number;
  limits?: SendLimits;
  retry?: Partial<RetryPolicy>;
  /** TELEGRAM_SLOT_WAIT_MS: longest wait for a chat's send slot in process; longer, the sync is deferred (sync.ts SendLater). */
  slotWaitMs?: number;
  /** Longest wait for one enrichment lookup; a slower one leaves its field out. */
  lookupTimeoutMs?: number;
  /** The customer's name through the enterprise's primary CRM (../crm/deps.ts crmCustomerNames); null: ask the customers table. */
  crmCustomerName?: (enterprise: string, phone: string) => Promise<string | null>;
  /** Where a malformed bot token is reported (listed in the gateway's /health); without it, it is only thrown. */
  misconfig?: MisconfigRegistry;
  /** The process's logger for the bot clients' own lines; job lines use the logger each call brings. */
  log?: Logger;
  /** Each enterprise's recipients as this process keeps them (recipients.ts); without it, read each time. */
  recipients?: RecipientsCache;
}

export interface TelegramSyncDeps extends TelegramSyncOptions {
  /** The shared client of this bot; throws MalformedBotToken for a token not shaped like one. */
  clientFor(token: string, log: Logger): BotClient;
  /**
   * Puts a send, edit or delete in its call's timeline at once, in this process's call-log batches
   * (../fanOut/eventBatcher.ts), instead of queueing a call-log job for it (~40 Redis commands and a
   * job's bookkeeping each; a send, with the delete before it, is two). When it fails, the entry is
   * queued as before, so a database away loses no entry.
   */
  applyLogEntry?: (entry: CallLogTelegramEntry, ctx: ProcessorDeps) => Promise<unknown>;
  /** The names of a call's parties this process read lately (enrich.ts). */
  names: TtlMap<NamesRow>;
}

/** The bot token in PostgreSQL is not shaped like one: an operator's typo that no retry fixes. */
export class MalformedBotToken extends Error {
  constructor() {
    super('the bot token is not shaped like one ("<bot id>:<secret>")');
    this.name = 'MalformedBotToken';
  }
}

/** One BotClient per bot token, all sharing the Redis limiter (limits hold across processes). */
export function telegramSyncDeps(o: TelegramSyncOptions): TelegramSyncDeps {
  const limiter = new TelegramRateLimiter(o.redis, { prefix: o.prefix, ...(o.limits ? { limits: o.limits } : {}) });
  const clients = new Map<string, BotClient>();
  return {
    ...o,
    names: namesCache(),
    clientFor(token, log) {
      let c = clients.get(token);
      if (!c) {
        if (!isBotTokenShape(token)) throw new MalformedBotToken();
        // Built with the process's logger: the client outlives the job that first asked for it.
        c = new BotClient({ token, apiRoot: o.apiRoot, timeoutMs: o.timeoutMs, log: o.log ?? log, limiter, ...(o.retry ? { retry: o.retry } : {}) });
        clients.set(token, c);
      }
      return c;
    },
  };
}
