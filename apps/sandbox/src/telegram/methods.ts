/**
 * The Bot API methods the sandbox serves, with Telegram's answers and error texts: getMe,
 * sendMessage, deleteMessage, editMessageText. Each takes the call's params (JSON, form or query,
 * values possibly strings) and gives the HTTP status and envelope Telegram would.
 */
import { MESSAGE_TEXT_MAX, type BotApiEnvelope } from '@callpipe/telegram';
import type { FloodLimits } from './limits.js';
import { toBotApiMessage, type CallRecord, type TelegramState } from './state.js';

export interface MethodContext {
  state: TelegramState;
  flood: FloodLimits;
  blockedChats: readonly number[];
  botId: string;
}

export interface MethodAnswer {
  status: number;
  body: BotApiEnvelope<unknown>;
  /** What the call record adds (chat, message, text, created message id). */
  detail: Partial<CallRecord>;
}

export type Params = Record<string, unknown>;

/** A message can be deleted for everyone only within 48 hours of sending. */
export const DELETE_WINDOW_MS = 48 * 3600 * 1000;

export const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

export function ok(result: unknown, detail: Partial<CallRecord> = {}): MethodAnswer {
  return { status: 200, body: { ok: true, result }, detail };
}

export function fail(code: number, description: string, detail: Partial<CallRecord> = {}, retryAfter?: number): MethodAnswer {
  return {
    status: code,
    body: { ok: false, error_code: code, description, ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }) },
    detail: { ...detail, ...(retryAfter === undefined ? {} : { retryAfter }) },
  };
}

export function tooMany(retryAfter: number, detail: Partial<CallRecord>): MethodAnswer {
  return fail(429, `Too Many Requests: retry after ${retryAfter}`, detail, retryAfter);
}

function intParam(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** chat_id as Telegram reads it: a number, or "@username" (no such public chats here). */
function chatOf(p: Params): { chatId: number } | MethodAnswer {
  const raw = p.chat_id;
  if (raw === undefined || raw === '') return fail(400, 'Bad Request: chat_id is empty');
  const chatId = intParam(raw);
  if (chatId === undefined || chatId === 0) return fail(400, 'Bad Request: chat not found');
  return { chatId };
}

/** A send or edit past the flood limits answers 429 with the whole seconds to wait (at least 1). */
function floodCheck(ctx: MethodContext, chatId: number, detail: Partial<CallRecord>): MethodAnswer | null {
  const waitMs = ctx.flood.take(ctx.botId, chatId, ctx.state.now());
  return waitMs > 0 ? tooMany(Math.max(1, Math.ceil(waitMs / 1000)), detail) : null;
}

function textCheck(text: unknown, detail: Partial<CallRecord>): MethodAnswer | null {
  if (typeof text !== 'string' || text.trim() === '') return fail(400, 'Bad Request: message text is empty', detail);
  if (text.length > MESSAGE_TEXT_MAX) return fail(400, 'Bad Request: message is too long', detail);
  return null;
}

export function getMe(ctx: MethodContext): MethodAnswer {
  return ok({
    id: Number(ctx.botId), is_bot: true, first_name: `Sandbox bot ${ctx.botId}`, username: `sandbox_${ctx.botId}_bot`,
    can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
  });
}

export function sendMessage(ctx: MethodContext, p: Params): MethodAnswer {
  const chat = chatOf(p);
  if ('status' in chat) return chat;
  const text = typeof p.text === 'string' ? p.text : undefined;
  const detail: Partial<CallRecord> = { chatId: chat.chatId, ...(text === undefined ? {} : { text }) };
  if (ctx.blockedChats.includes(chat.chatId)) return fail(403, 'Forbidden: bot was blocked by the user', detail);
  const bad = textCheck(p.text, detail) ?? floodCheck(ctx, chat.chatId, detail);
  if (bad) return bad;
  const m = ctx.state.add(ctx.botId, chat.chatId, text!);
  return ok(toBotApiMessage(m), { ...detail, resultMessageId: m.messageId });
}

export function deleteMessage(ctx: MethodContext, p: Params): MethodAnswer {
  const chat = chatOf(p);
  if ('status' in chat) return chat;
  const messageId = intParam(p.message_id);
  const detail: Partial<CallRecord> = { chatId: chat.chatId, ...(messageId === undefined ? {} : { messageId }) };
  if (messageId === undefined) return fail(400, 'Bad Request: message identifier is not specified', detail);
  const m = ctx.state.find(ctx.botId, chat.chatId, messageId);
  if (!m) return fail(400, 'Bad Request: message to delete not found', detail);
  if (ctx.state.now() - m.sentAtMs > DELETE_WINDOW_MS) return fail(400, "Bad Request: message can't be deleted for everyone", detail);
  ctx.state.remove(ctx.botId, chat.chatId, messageId);
  return ok(true, detail);
}

export function editMessageText(ctx: MethodContext, p: Params): MethodAnswer {
  const chat = chatOf(p);
  if ('status' in chat) return chat;
  const messageId = intParam(p.message_id);
  const text = typeof p.text === 'string' ? p.text : undefined;
  const detail: Partial<CallRecord> = { chatId: chat.chatId, ...(messageId === undefined ? {} : { messageId }), ...(text === undefined ? {} : { text }) };
  if (messageId === undefined) return fail(400, 'Bad Request: message identifier is not specified', detail);
  if (ctx.blockedChats.includes(chat.chatId)) return fail(403, 'Forbidden: bot was blocked by the user', detail);
  const bad = textCheck(p.text, detail);
  if (bad) return bad;
  const m = ctx.state.find(ctx.botId, chat.chatId, messageId);
  if (!m) return fail(400, 'Bad Request: message to edit not found', detail);
  if (m.text === text) return fail(400, NOT_MODIFIED, detail);
  const flooded = floodCheck(ctx, chat.chatId, detail);
  if (flooded) return flooded;
  ctx.state.edit(m, text!);
  return ok(toBotApiMessage(m), detail);
}

export const METHODS: Record<string, (ctx: MethodContext, p: Params) => MethodAnswer> = {
  getMe, sendMessage, deleteMessage, editMessageText,
};

/** Method names are case-insensitive in the Bot API. */
export function methodNamed(name: string): { name: string; run: (ctx: MethodContext, p: Params) => MethodAnswer } | undefined {
  const key = Object.keys(METHODS).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? { name: key, run: METHODS[key]! } : undefined;
}
