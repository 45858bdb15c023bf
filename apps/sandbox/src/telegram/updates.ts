/**
 * Updates of the sandbox Telegram: a button pressed on the chat page (or by a test) becomes a
 * callback_query update of the message's bot, delivered the way Telegram delivers it — POSTed to the
 * bot's webhook with its secret_token in X-Telegram-Bot-Api-Secret-Token (non-2xx or no answer: kept
 * and retried), or held for getUpdates (confirmed by a higher offset; long polling waits for one).
 * The presses and the bot's answers (answerCallbackQuery) are kept for the page and tests.
 */
import { randomBytes } from 'node:crypto';

export interface Webhook {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
}

export interface Update {
  update_id: number;
  callback_query: Record<string, unknown>;
}

/** One press and what the bot answered. */
export interface CallbackRecord {
  id: string;
  botId: string;
  chatId: number;
  messageId: number;
  fromId: number;
  data: string;
  pressedAt: string;
  updateId: number;
  /** How the update left: webhook status codes per attempt, or held for getUpdates. */
  delivery: { via: 'webhook' | 'getUpdates'; attempts: { at: string; status: number | string }[]; taken?: boolean };
  answer?: { text: string; showAlert: boolean; at: string };
}

interface BotUpdates {
  nextUpdateId: number;
  pending: Update[];
  webhook: Webhook | null;
  lastError?: { at: number; message: string };
  /** The long poll waiting now (a newer getUpdates ends it with 409, as Telegram does). */
  waiter?: { wake: (conflict: boolean) => void };
}

const WEBHOOK_TIMEOUT_MS = 10_000;
const RETRY_DELAYS_MS = [500, 2000, 5000, 15_000];

export class UpdateHub {
  private readonly bots = new Map<string, BotUpdates>();
  readonly callbacks = new Map<string, CallbackRecord>();

  bot(botId: string): BotUpdates {
    let b = this.bots.get(botId);
    if (!b) {
      b = { nextUpdateId: 100_000 + Math.floor(Math.random() * 1000), pending: [], webhook: null };
      this.bots.set(botId, b);
    }
    return b;
  }

  /** A new callback query of a bot: queued for getUpdates or POSTed to the webhook. Resolves after the first delivery attempt. */
  async press(botId: string, query: Omit<CallbackRecord, 'id' | 'updateId' | 'pressedAt' | 'delivery' | 'answer'>, message: object, from: object): Promise<CallbackRecord> {
    const b = this.bot(botId);
    const id = randomBytes(8).readBigUInt64BE().toString();
    const update: Update = {
      update_id: b.nextUpdateId++,
      callback_query: { id, from, message, chat_instance: String(BigInt(query.chatId) * 7919n), data: query.data },
    };
    const record: CallbackRecord = {
      ...query, id, updateId: update.update_id, pressedAt: new Date().toISOString(),
      delivery: { via: b.webhook ? 'webhook' : 'getUpdates', attempts: [] },
    };
    this.callbacks.set(id, record);
    if (b.webhook?.allowedUpdates?.length && !b.webhook.allowedUpdates.includes('callback_query')) return record;
    b.pending.push(update);
    if (b.webhook) await this.deliver(b, record);
    else b.waiter?.wake(false);
    return record;
  }

  private async deliver(b: BotUpdates, record: CallbackRecord, attempt = 0): Promise<void> {
    const hook = b.webhook;
    const update = b.pending.find((u) => u.update_id === record.updateId);
    if (!hook || !update) return;
    let status: number | string;
    try {
      const res = await fetch(hook.url, {
        method: 'POST', body: JSON.stringify(update), signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        headers: { 'content-type': 'application/json', ...(hook.secretToken ? { 'x-telegram-bot-api-secret-token': hook.secretToken } : {}) },
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      status = (err as Error).message;
    }
    record.delivery.attempts.push({ at: new Date().toISOString(), status });
    if (typeof status === 'number' && status >= 200 && status < 300) {
      b.pending = b.pending.filter((u) => u.update_id !== update.update_id);
      record.delivery.taken = true;
      return;
    }
    b.lastError = { at: Math.floor(Date.now() / 1000), message: typeof status === 'number' ? `Wrong response from the webhook: ${status}` : `Connection failed: ${status}` };
    const delay = RETRY_DELAYS_MS[attempt];
    if (delay !== undefined) setTimeout(() => void this.deliver(b, record, attempt + 1), delay).unref();
  }

  /** getUpdates: confirm below `offset`, then the pending updates, waiting up to `timeoutS` for one. */
  async take(botId: string, offset: number | undefined, limit: number, timeoutS: number): Promise<Update[] | 'conflict'> {
    const b = this.bot(botId);
    this.confirm(b, offset);
    if (b.pending.length === 0 && timeoutS > 0) {
      b.waiter?.wake(true);
      const conflict = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => { if (b.waiter === w) b.waiter = undefined; resolve(false); }, timeoutS * 1000);
        timer.unref();
        const w = { wake: (c: boolean) => { clearTimeout(timer); if (b.waiter === w) b.waiter = undefined; resolve(c); } };
        b.waiter = w;
      });
      if (conflict) return 'conflict';
    }
    const out = b.pending.slice(0, limit);
    for (const u of out) {
      const r = this.callbacks.get(String(u.callback_query.id));
      if (r) r.delivery.taken = true;
    }
    return out;
  }

  private confirm(b: BotUpdates, offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) b.pending = b.pending.slice(offset);
    else b.pending = b.pending.filter((u) => u.update_id >= offset);
  }

  setWebhook(botId: string, hook: Webhook | null, dropPending: boolean): void {
    const b = this.bot(botId);
    b.webhook = hook;
    delete b.lastError;
    if (dropPending) b.pending = [];
    // A poll waiting when the webhook is set ends as Telegram ends it: a conflict.
    if (hook) b.waiter?.wake(true);
    // Updates held while there was no webhook go to the new one.
    if (hook) for (const u of [...b.pending]) { const r = this.callbacks.get(String(u.callback_query.id)); if (r) { r.delivery.via = 'webhook'; void this.deliver(b, r); } }
  }

  webhookInfo(botId: string): Record<string, unknown> {
    const b = this.bot(botId);
    return {
      url: b.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: b.pending.length,
      ...(b.webhook?.allowedUpdates ? { allowed_updates: b.webhook.allowedUpdates } : {}),
      ...(b.lastError ? { last_error_date: b.lastError.at, last_error_message: b.lastError.message } : {}),
    };
  }

  reset(): void {
    for (const b of this.bots.values()) b.waiter?.wake(true);
    this.bots.clear();
    this.callbacks.clear();
  }
}
