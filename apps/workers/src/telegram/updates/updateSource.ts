/**
 * Where button presses come from: with a public webhook URL (TELEGRAM_WEBHOOK_URL and _SECRET) each
 * enterprise bot's webhook is registered (setWebhook with its derived secret_token; the gateway takes
 * the updates); without one, each bot is long-polled (getUpdates) by exactly one workers process (a
 * Redis lease per bot), its offset kept in Redis, each press queued as a `telegram-updates` job whose
 * id (bot, update_id) makes a redelivered update a no-op. The bot list is re-read periodically.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import { telegramUpdateJobId, telegramUpdateJobOf, type Producers } from '@callpipe/queues';
import { botIdOf, isBotTokenShape, UpdatesClient, webhookPath, webhookSecretToken, type BotClient } from '@callpipe/telegram';

export interface UpdateSourceOptions {
  db: Kysely<Database>;
  redis: Redis;
  prefix: string;
  producers: Producers;
  log: Logger;
  apiRoot: string;
  /** getUpdates wait; 0 = no polling. */
  pollSeconds: number;
  /** Public root and key of the webhook; both set = webhook mode. */
  webhook?: { url: string; secret: string } | undefined;
  clientFor: (token: string, log: Logger) => BotClient;
  /** How often the list of bots is re-read (ms). */
  refreshMs?: number;
}

/**
 * Waits ms, or less once `signal` aborts. node:timers/promises drops its abort listener when the time is
 * up: a listener left behind per wait (a bot retrying every 2 s) grew the shared signal without bound.
 */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> => delay(ms, undefined, { signal }).catch(() => undefined);

/** One signal every bot's long poll and wait listen to: a listener per bot, which is no leak. */
function abortForEveryBot(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}

const RENEW_LUA = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE_LUA = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class TelegramUpdateSource {
  private readonly abort = abortForEveryBot();
  private readonly owner = randomUUID();
  private readonly loops = new Map<string, Promise<void>>();
  private readonly registered = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: UpdateSourceOptions) {}

  get mode(): 'webhook' | 'polling' | 'off' {
    if (this.o.webhook) return 'webhook';
    return this.o.pollSeconds > 0 ? 'polling' : 'off';
  }

  async start(): Promise<void> {
    this.o.log.info({ mode: this.mode }, 'telegram button presses: ' + (this.mode === 'webhook' ? 'webhook' : this.mode === 'polling' ? 'long polling' : 'not received'));
    if (this.mode === 'off') return;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.o.refreshMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.abort.abort();
    await Promise.all(this.loops.values());
  }

  private async refresh(): Promise<void> {
    let tokens: string[];
    try {
      const rows = await this.o.db.selectFrom('enterprises').select('bot_token').distinct()
        .where('active', '=', true).where('bot_token', 'is not', null).execute();
      tokens = rows.map((r) => r.bot_token!).filter(isBotTokenShape);
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'bot list not read; button presses keep their current sources');
      return;
    }
    for (const token of tokens) {
      const botId = botIdOf(token);
      if (this.o.webhook) await this.register(token, botId, this.o.webhook);
      else if (!this.loops.has(botId)) this.loops.set(botId, this.poll(token, botId));
    }
  }

  private async register(token: string, botId: string, hook: { url: string; secret: string }): Promise<void> {
    if (this.registered.has(botId)) return;
    const log = this.o.log.child({ botId });
    const r = await this.o.clientFor(token, log).setWebhook(`${hook.url}${webhookPath(botId)}`, webhookSecretToken(hook.secret, botId), { log });
    if (r.action === 'ok') {
      this.registered.add(botId);
      log.info({ url: `${hook.url}${webhookPath(botId)}` }, 'telegram webhook registered');
    } else {
      log.warn({ action: r.action }, 'telegram webhook not registered; retried at the next refresh');
    }
  }

  /** One bot's long poll, while this process holds the bot's lease. */
  private async poll(token: string, botId: string): Promise<void> {
    const { redis, prefix } = this.o;
    const signal = this.abort.signal;
    const log = this.o.log.child({ botId });
    const lease = `${prefix}:tg:poll-lease:${botId}`;
    const offsetKey = `${prefix}:tg:poll-offset:${botId}`;
    const leaseMs = (this.o.pollSeconds + 20) * 1000;
    const client = new UpdatesClient(token, this.o.apiRoot, this.o.pollSeconds);
    let webhookCleared = false;
    while (!signal.aborted) {
      try {
        const held = (await redis.set(lease, this.owner, 'PX', leaseMs, 'NX')) === 'OK'
          || (await redis.eval(RENEW_LUA, 1, lease, this.owner, String(leaseMs))) === 1;
        if (!held) {
          await sleep(5000, signal);
          continue;
        }
        if (!webhookCleared) {
          // No public URL here: a webhook left from another setup would keep getUpdates refused (409).
          const r = await this.o.clientFor(token, log).deleteWebhook({ log });
          webhookCleared = r.action === 'ok';
        }
        const stored = await redis.get(offsetKey);
        const r = await client.poll(stored ? Number(stored) : undefined, signal);
        if (signal.aborted) break;
        if (!r.ok) {
          const a = r.answer;
          const code = a.kind === 'api' ? a.errorCode : 0;
          log.warn({ answer: a }, 'getUpdates failed; polling again shortly');
          if (code === 409) webhookCleared = false;
          await sleep(code === 401 || code === 404 ? 60_000 : a.kind === 'api' && a.retryAfterSeconds ? a.retryAfterSeconds * 1000 : 2000, signal);
          continue;
        }
        let next: number | undefined;
        for (const u of r.updates) {
          const id = (u as { update_id?: unknown }).update_id;
          if (typeof id === 'number') next = Math.max(next ?? 0, id + 1);
          const job = telegramUpdateJobOf(botId, u, 'polling');
          if (job) await this.o.producers.add('telegramUpdates', 'callback_query', job, { jobId: telegramUpdateJobId(botId, job.updateId) });
        }
        // Confirmed only once queued: a crash before this line gets the same updates again (same job ids).
        if (next !== undefined) await redis.set(offsetKey, String(next), 'EX', 7 * 24 * 3600);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'telegram polling step failed; retrying');
        await sleep(2000, signal);
      }
    }
    await redis.eval(RELEASE_LUA, 1, lease, this.owner).catch(() => undefined);
  }
}
