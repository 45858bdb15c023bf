/**
 * What the sandbox Telegram remembers: every chat's current messages (per bot, as in Telegram), a
 * record of every call, and its clock, which tests may shift forward (to age messages past 48 h).
 */
import type { BotApiMessage } from '@callpipe/telegram';
import type { InlineMarkup } from './markup.js';

export interface StoredMessage {
  botId: string;
  chatId: number;
  messageId: number;
  text: string;
  /** Sandbox-clock ms when sent, and when last edited. */
  sentAtMs: number;
  editedAtMs?: number;
  /** Inline buttons under the message (reply_markup), when it has any. */
  replyMarkup?: InlineMarkup;
}

/** One call as the sandbox answered it. */
export interface CallRecord {
  seq: number;
  at: string;
  botId: string | null;
  method: string;
  chatId?: number;
  messageId?: number;
  text?: string;
  status: number;
  ok: boolean;
  description?: string;
  retryAfter?: number;
  /** The message_id a sendMessage created. */
  resultMessageId?: number;
}

interface Chat {
  botId: string;
  chatId: number;
  nextId: number;
  messages: Map<number, StoredMessage>;
}

/** Calls kept for GET /_sandbox/telegram/calls; older ones drop off. */
const CALLS_KEPT = 20_000;

export class TelegramState {
  private readonly chats = new Map<string, Chat>();
  private calls: CallRecord[] = [];
  private seq = 0;
  private clockOffsetMs = 0;

  /** firstMessageId: the message_id of each chat's first message (Telegram never gives an id twice in a chat). */
  constructor(private readonly firstMessageId = 1) {}

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  shiftClock(ms: number): number {
    this.clockOffsetMs += ms;
    return this.clockOffsetMs;
  }

  add(botId: string, chatId: number, text: string, replyMarkup?: InlineMarkup): StoredMessage {
    const chat = this.chat(botId, chatId, true)!;
    const m: StoredMessage = { botId, chatId, messageId: chat.nextId, text, sentAtMs: this.now(), ...(replyMarkup?.inline_keyboard.length ? { replyMarkup } : {}) };
    chat.nextId += 1;
    chat.messages.set(m.messageId, m);
    return m;
  }

  find(botId: string, chatId: number, messageId: number): StoredMessage | undefined {
    return this.chat(botId, chatId, false)?.messages.get(messageId);
  }

  remove(botId: string, chatId: number, messageId: number): void {
    this.chat(botId, chatId, false)?.messages.delete(messageId);
  }

  /** An edit replaces the buttons too: without reply_markup the message has none (as in Telegram). */
  edit(m: StoredMessage, text: string, replyMarkup?: InlineMarkup): void {
    m.text = text;
    m.editedAtMs = this.now();
    if (replyMarkup?.inline_keyboard.length) m.replyMarkup = replyMarkup;
    else delete m.replyMarkup;
  }

  /** A chat's messages as a person sees them: in order, deleted ones gone. */
  messages(chatId: number, botId?: string): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const c of this.chats.values()) {
      if (c.chatId === chatId && (botId === undefined || c.botId === botId)) out.push(...c.messages.values());
    }
    return out.sort((a, b) => a.sentAtMs - b.sentAtMs || a.messageId - b.messageId);
  }

  chatList(): { botId: string; chatId: number; messages: StoredMessage[] }[] {
    return [...this.chats.values()].map((c) => ({ botId: c.botId, chatId: c.chatId, messages: [...c.messages.values()] }));
  }

  record(call: Omit<CallRecord, 'seq' | 'at'>): void {
    this.seq += 1;
    this.calls.push({ seq: this.seq, at: new Date(this.now()).toISOString(), ...call });
    if (this.calls.length > CALLS_KEPT) this.calls = this.calls.slice(-CALLS_KEPT / 2);
  }

  callLog(filter: { chatId?: number; method?: string; botId?: string }): CallRecord[] {
    return this.calls.filter((c) => (filter.chatId === undefined || c.chatId === filter.chatId)
      && (filter.method === undefined || c.method === filter.method)
      && (filter.botId === undefined || c.botId === filter.botId));
  }

  reset(): void {
    this.chats.clear();
    this.calls = [];
    this.clockOffsetMs = 0;
  }

  private chat(botId: string, chatId: number, create: boolean): Chat | undefined {
    const key = `${botId}:${chatId}`;
    let c = this.chats.get(key);
    if (!c && create) {
      c = { botId, chatId, nextId: this.firstMessageId, messages: new Map() };
      this.chats.set(key, c);
    }
    return c;
  }
}

/** The Message object Telegram returns for a stored message. */
export function toBotApiMessage(m: StoredMessage): BotApiMessage & { from: { id: number; is_bot: true; first_name: string }; reply_markup?: InlineMarkup } {
  return {
    message_id: m.messageId,
    date: Math.floor(m.sentAtMs / 1000),
    chat: { id: m.chatId, type: m.chatId < 0 ? 'supergroup' : 'private' },
    from: { id: Number(m.botId), is_bot: true, first_name: `Sandbox bot ${m.botId}` },
    text: m.text,
    ...(m.editedAtMs === undefined ? {} : { edit_date: Math.floor(m.editedAtMs / 1000) }),
    ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
  };
}
