/**
 * One bot's client: send, delete and edit a message, each answering with what to do next (a classified
 * result) rather than throwing. The message methods go over our own lean HTTP (botMethods.ts: a sync's
 * hot loop); node-telegram-bot-api makes the other calls with its own retries off. The retry decisions,
 * the cross-process rate limit and the metrics are ours. The token stays inside: results,
 * logs and errors carry the bot's numeric id only. One client serves every job of its bot, so it keeps
 * no job's logger: each call brings its own (CallContext.log), and its lines carry that job's ids.
 */
import { Api } from 'node-telegram-bot-api';
import type { Logger } from '@callpipe/logging';
import { metrics } from '@callpipe/metrics';
import { botIdOf, type BotApiUser, type BotMethod } from '../botApi.js';
import type { InlineKeyboard } from '../callBack/callBackTexts.js';
import { answerOfError } from '../errors/answerOf.js';
import { classifyAnswer, metricResult, type BotApiAction } from '../errors/classify.js';
import { RateLimitWaitTooLong, type TelegramRateLimiter } from '../limiter/rateLimiter.js';
import { botApiFetch } from './botHttp.js';
import { callBotMethod, type FormValue, type MethodOutcome } from './botMethods.js';
import { DEFAULT_RETRY_POLICY, nextStep, type RetryPolicy } from './retryPolicy.js';

export interface BotClientOptions {
  token: string;
  /** TELEGRAM_API_BASE: https://api.telegram.org, or the sandbox. */
  apiRoot: string;
  timeoutMs: number;
  /** The process's logger, for calls that bring none (getMe); never a job's. */
  log: Logger;
  /** Sends and edits wait for a slot here; without one they are not throttled. */
  limiter?: TelegramRateLimiter;
  retry?: Partial<RetryPolicy>;
}

/** Whose call it is: the job's logger (already bound to its ids and chat), or the ids to bind to the process's logger. */
export interface CallContext {
  log?: Logger;
  enterprise?: string;
  callId?: string;
  /** The caller already holds this message's send slot (reserveSendSlot): the first attempt takes none. */
  slotTaken?: boolean;
}

type Failed = Exclude<BotApiAction, { action: 'ok' }>;

/** The outcome of one client call (after in-process retries): ok with its value, or what to do. */
export type BotResult<T> = ({ action: 'ok'; value: T } | Failed) & { attempts: number };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A call through node-telegram-bot-api, its throw mapped to the answer it means (answerOf.ts). */
async function viaLibrary<T>(call: () => Promise<T>): Promise<MethodOutcome<T>> {
  try {
    return { kind: 'ok', value: await call() };
  } catch (err) {
    return answerOfError(err);
  }
}

export class BotClient {
  readonly botId: string;
  readonly #api: Api;
  readonly #token: string;
  readonly #apiRoot: string;
  readonly #timeoutMs: number;
  readonly #limiter: TelegramRateLimiter | undefined;
  readonly #policy: RetryPolicy;
  readonly #log: Logger;

  constructor(options: BotClientOptions) {
    this.botId = botIdOf(options.token);
    this.#api = new Api(options.token, { apiRoot: options.apiRoot, timeoutMs: options.timeoutMs, maxRetries: 0, fetch: botApiFetch });
    this.#token = options.token;
    this.#apiRoot = options.apiRoot.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs;
    this.#limiter = options.limiter;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#log = options.log.child({ botId: this.botId });
  }

  /** Sends a message; with `keyboard`, inline buttons under it (the call-back button). */
  async send(chatId: number, text: string, ctx: CallContext = {}, keyboard?: InlineKeyboard): Promise<BotResult<{ messageId: number }>> {
    return this.call('sendMessage', chatId, ctx, true, async () => {
      const r = await this.method<{ message_id: number }>('sendMessage', { chat_id: chatId, text, link_preview_options: { is_disabled: true }, reply_markup: keyboard });
      return r.kind === 'ok' ? { kind: 'ok', value: { messageId: r.value.message_id } } : r;
    });
  }

  /**
   * Takes a send slot for one message to this chat if one is free now (`taken`; pass `slotTaken` to
   * that send or edit), else says how long until one (nothing taken). One limiter round trip where a
   * look and then a take were two. A failing limiter answers 0, not taken: the send itself then
   * decides (it does not go unthrottled).
   */
  async reserveSendSlot(chatId: number): Promise<{ waitMs: number; taken: boolean }> {
    if (!this.#limiter) return { waitMs: 0, taken: false };
    try {
      const waitMs = await this.#limiter.tryTake(this.botId, chatId);
      return { waitMs, taken: waitMs === 0 };
    } catch {
      return { waitMs: 0, taken: false };
    }
  }

  async delete(chatId: number, messageId: number, ctx: CallContext = {}): Promise<BotResult<true>> {
    // Deletes free a chat rather than fill it: they do not draw from the send buckets.
    return this.call('deleteMessage', chatId, ctx, false, () => this.method<true>('deleteMessage', { chat_id: chatId, message_id: messageId }));
  }

  /** Replaces a message's text; its inline buttons become `keyboard` (none when not given, as in Telegram). */
  async edit(chatId: number, messageId: number, text: string, ctx: CallContext = {}, keyboard?: InlineKeyboard): Promise<BotResult<true>> {
    return this.call('editMessageText', chatId, ctx, true, async () => {
      // Telegram answers the edited Message (true only for inline messages): either way, it is done.
      const r = await this.method<unknown>('editMessageText', { chat_id: chatId, message_id: messageId, text, link_preview_options: { is_disabled: true }, reply_markup: keyboard });
      return r.kind === 'ok' ? { kind: 'ok', value: true as const } : r;
    });
  }

  /** Answers a button press (the presser's spinner stops; `text` shows as a notice, or an alert). */
  async answerCallback(callbackQueryId: string, text: string, showAlert: boolean, ctx: CallContext = {}): Promise<BotResult<true>> {
    return this.call('answerCallbackQuery', null, ctx, false, () => viaLibrary(async () => {
      await this.#api.answerCallbackQuery({ callback_query_id: callbackQueryId, text, show_alert: showAlert });
      return true as const;
    }));
  }

  /** Where Telegram posts this bot's updates (only callback queries), with the secret it sends back in a header. */
  async setWebhook(url: string, secretToken: string, ctx: CallContext = {}): Promise<BotResult<true>> {
    return this.call('setWebhook', null, ctx, false, () => viaLibrary(async () => {
      await this.#api.setWebhook({ url, secret_token: secretToken, allowed_updates: ['callback_query'] });
      return true as const;
    }));
  }

  /** Stops webhook delivery so getUpdates may be used (pending updates are kept). */
  async deleteWebhook(ctx: CallContext = {}): Promise<BotResult<true>> {
    return this.call('deleteWebhook', null, ctx, false, () => viaLibrary(async () => {
      await this.#api.deleteWebhook({ drop_pending_updates: false });
      return true as const;
    }));
  }

  async getMe(): Promise<BotResult<BotApiUser>> {
    return this.call('getMe', null, {}, false, () => viaLibrary(async () => {
      const u = await this.#api.getMe();
      return { id: u.id, is_bot: u.is_bot, first_name: u.first_name, ...(u.username ? { username: u.username } : {}) };
    }));
  }

  /** Never shows the token when the client itself is logged. */
  toJSON(): { botId: string } {
    return { botId: this.botId };
  }

  /** A message method over the lean path (botMethods.ts). */
  private method<T>(method: BotMethod, params: Readonly<Record<string, FormValue>>): Promise<MethodOutcome<T>> {
    return callBotMethod<T>(this.#apiRoot, this.#token, method, params, this.#timeoutMs);
  }

  private async call<T>(
    method: BotMethod, chatId: number | null, ctx: CallContext, throttled: boolean, request: () => Promise<MethodOutcome<T>>,
  ): Promise<BotResult<T>> {
    const { log: jobLog, slotTaken, ...ids } = ctx;
    // Made when something is logged: a pino child (bindings serialized and redacted) per request was a
    // few % of a workers process's CPU, for lines most requests never write.
    let child: Logger | undefined;
    const log = (): Logger => (child ??= jobLog ? jobLog.child({ botId: this.botId, method }) : this.#log.child({ ...ids, method, chatId }));
    for (let attempt = 1; ; attempt += 1) {
      let action: Failed;
      // A retry (after a 429 or a 5xx) takes a slot of its own.
      const slot = throttled && chatId !== null && !(attempt === 1 && slotTaken) ? await this.waitForSlot(chatId) : null;
      if (slot) {
        action = slot;
      } else {
        const outcome = await request();
        metrics.telegramRequests.inc({ method, result: metricResult(outcome) });
        if (outcome.kind === 'ok') return { action: 'ok', value: outcome.value, attempts: attempt };
        action = classifyAnswer(outcome);
        if (action.action === 'retry-after' && chatId !== null) await this.holdChat(chatId, action.seconds, log());
      }
      const step = nextStep(action, attempt, this.#policy);
      if (step === 'stop') {
        this.report(action, attempt, log());
        return { ...action, attempts: attempt };
      }
      log().info({ attempt, action: action.action, retryInMs: step.retryInMs }, 'telegram call retried');
      await sleep(step.retryInMs);
    }
  }

  /** null when a slot was taken (or no limiter); else the action the wait turned into. */
  private async waitForSlot(chatId: number): Promise<Failed | null> {
    if (!this.#limiter) return null;
    try {
      await this.#limiter.take(this.botId, chatId, this.#policy.maxLimiterWaitMs);
      return null;
    } catch (err) {
      if (err instanceof RateLimitWaitTooLong) {
        return { action: 'retry-after', seconds: Math.ceil(err.waitMs / 1000), reason: 'local rate limit' };
      }
      // Redis unreachable: do not send unthrottled; treat it as a transient failure.
      return { action: 'retry-backoff', reason: `rate limiter unavailable: ${(err as Error).message}` };
    }
  }

  private async holdChat(chatId: number, seconds: number, log: Logger): Promise<void> {
    try {
      await this.#limiter?.hold(this.botId, chatId, seconds * 1000);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not record retry_after in the rate limiter');
    }
  }

  /** Every outcome but ok is logged once, with the call's ids: nothing is dropped silently. */
  private report(action: Failed, attempts: number, log: Logger): void {
    switch (action.action) {
      case 'not-modified':
        log.debug({ attempts }, 'telegram: message not modified (already shown)');
        return;
      case 'skip':
        log.info({ attempts, reason: action.reason }, 'telegram: message already gone, delete skipped');
        return;
      case 'deactivate-recipient':
        log.warn({ attempts, reason: action.reason }, 'telegram: recipient refuses the bot');
        return;
      case 'give-up':
        log.error({ attempts, reason: action.reason }, 'telegram: gave up');
        return;
      case 'retry-after':
      case 'retry-backoff':
        log.warn({ attempts, action: action.action, reason: action.reason }, 'telegram: still failing, handed back for a later retry');
    }
  }
}
