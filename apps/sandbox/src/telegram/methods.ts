/**
 * The Bot API methods the sandbox serves, with Telegram's answers and error texts: getMe,
 * sendMessage, deleteMessage, editMessageText (inline keyboards included), answerCallbackQuery,
 * setWebhook, deleteWebhook, getWebhookInfo, getUpdates (long polling). Each takes the call's params (JSON, form or query,
 * values possibly strings) and gives the HTTP status and envelope Telegram would.
 */
import { MESSAGE_TEXT_MAX, type BotApiEnvelope } from '@callpipe/telegram';
import type { FloodLimits } from './limits.js';
import { readInlineMarkup, sameMarkup } from './markup.js';
import { toBotApiMessage, type CallRecord, type TelegramState } from './state.js';
import type { UpdateHub } from './updates.js';

export interface MethodContext {
  state: TelegramState;
  flood: FloodLimits;
  blockedChats: readonly number[];
  botId: string;
  updates: UpdateHub;
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
  const markup = readInlineMarkup(p.reply_markup);
  if (typeof markup === 'string') return fail(400, markup, detail);
  const bad = textCheck(p.text, detail) ?? floodCheck(ctx, chat.chatId, detail);
  if (bad) return bad;
  const m = ctx.state.add(ctx.botId, chat.chatId, text!, markup);
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
  const markup = readInlineMarkup(p.reply_markup);
  if (typeof markup === 'string') return fail(400, markup, detail);
  const m = ctx.state.find(ctx.botId, chat.chatId, messageId);
  if (!m) return fail(400, 'Bad Request: message to edit not found', detail);
  if (m.text === text && sameMarkup(m.replyMarkup, markup)) return fail(400, NOT_MODIFIED, detail);
  const flooded = floodCheck(ctx, chat.chatId, detail);
  if (flooded) return flooded;
  ctx.state.edit(m, text!, markup);
  return ok(toBotApiMessage(m), detail);
}

const QUERY_GONE = 'Bad Request: query is too old and response timeout expired or query ID is invalid';
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/** The press is answered once; an unknown id (or another bot's) or a second answer is refused. */
export function answerCallbackQuery(ctx: MethodContext, p: Params): MethodAnswer {
  const id = typeof p.callback_query_id === 'string' ? p.callback_query_id : typeof p.callback_query_id === 'number' ? String(p.callback_query_id) : '';
  const record = ctx.updates.callbacks.get(id);
  const detail: Partial<CallRecord> = record ? { chatId: record.chatId, messageId: record.messageId } : {};
  const text = typeof p.text === 'string' ? p.text : '';
  if (!id) return fail(400, 'Bad Request: parameter "callback_query_id" is required', detail);
  if (!record || record.botId !== ctx.botId || record.answer) return fail(400, QUERY_GONE, detail);
  if (text.length > 200) return fail(400, 'Bad Request: MESSAGE_TOO_LONG', detail);
  const showAlert = p.show_alert === true || p.show_alert === 'true';
  record.answer = { text, showAlert, at: new Date(ctx.state.now()).toISOString() };
  return ok(true, { ...detail, text });
}

/** Updates go to `url` from now on (an empty url removes the webhook). The sandbox allows http and any port: everything here is local. */
export function setWebhook(ctx: MethodContext, p: Params): MethodAnswer {
  const url = typeof p.url === 'string' ? p.url : undefined;
  if (url === undefined) return fail(400, 'Bad Request: parameter "url" is required');
  const drop = p.drop_pending_updates === true || p.drop_pending_updates === 'true';
  if (url === '') {
    ctx.updates.setWebhook(ctx.botId, null, drop);
    return ok(true);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(400, 'Bad Request: bad webhook: Failed to resolve host: Name or service not known');
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) return fail(400, 'Bad Request: bad webhook: HTTPS url must be provided for webhook');
  const secret = p.secret_token;
  if (secret !== undefined && (typeof secret !== 'string' || !SECRET_TOKEN.test(secret))) return fail(400, 'Bad Request: secret token contains unallowed characters');
  let allowed: string[] | undefined;
  const rawAllowed = typeof p.allowed_updates === 'string' ? safeJson(p.allowed_updates) : p.allowed_updates;
  if (Array.isArray(rawAllowed)) allowed = rawAllowed.filter((x): x is string => typeof x === 'string');
  ctx.updates.setWebhook(ctx.botId, { url, ...(typeof secret === 'string' ? { secretToken: secret } : {}), ...(allowed ? { allowedUpdates: allowed } : {}) }, drop);
  return ok(true);
}

export function deleteWebhook(ctx: MethodContext, p: Params): MethodAnswer {
  ctx.updates.setWebhook(ctx.botId, null, p.drop_pending_updates === true || p.drop_pending_updates === 'true');
  return ok(true);
}

export function getWebhookInfo(ctx: MethodContext): MethodAnswer {
  return ok(ctx.updates.webhookInfo(ctx.botId));
}

/** Long polling: refused while a webhook is set; a newer poll ends a waiting one with 409. */
export async function getUpdates(ctx: MethodContext, p: Params): Promise<MethodAnswer> {
  if (ctx.updates.bot(ctx.botId).webhook) {
    return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
  }
  const offset = intParam(p.offset);
  const limit = Math.min(100, Math.max(1, intParam(p.limit) ?? 100));
  const timeout = Math.min(50, Math.max(0, intParam(p.timeout) ?? 0));
  const got = await ctx.updates.take(ctx.botId, offset, limit, timeout);
  if (got === 'conflict') return fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
  return ok(got);
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

type MethodFn = (ctx: MethodContext, p: Params) => MethodAnswer | Promise<MethodAnswer>;

export const METHODS: Record<string, MethodFn> = {
  getMe, sendMessage, deleteMessage, editMessageText, answerCallbackQuery, setWebhook, deleteWebhook, getWebhookInfo, getUpdates,
};

/** Method names are case-insensitive in the Bot API. */
export function methodNamed(name: string): { name: string; run: MethodFn } | undefined {
  const key = Object.keys(METHODS).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? { name: key, run: METHODS[key]! } : undefined;
}
