/**
 * The Bot API's wire shapes we rely on, defined once: the answer envelope, the message text bounds,
 * and what a bot token looks like. The sandbox answers with these types; the client reads them.
 */

/** Telegram's `parameters` on an error answer (ResponseParameters). */
export interface BotApiErrorParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export interface BotApiOk<T> {
  ok: true;
  result: T;
}

export interface BotApiError {
  ok: false;
  error_code: number;
  description: string;
  parameters?: BotApiErrorParameters;
}

/** Every Bot API answer: `{ok:true,result}` or `{ok:false,error_code,description,parameters?}`. */
export type BotApiEnvelope<T> = BotApiOk<T> | BotApiError;

/** The parts of a Message our code reads (the sandbox sends these and a few more). */
export interface BotApiMessage {
  message_id: number;
  date: number;
  chat: { id: number; type: 'private' | 'group' | 'supergroup' | 'channel' };
  text?: string;
  edit_date?: number;
}

export interface BotApiUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

/** A message text is 1–4096 characters (after entity parsing; we send plain text). */
export const MESSAGE_TEXT_MAX = 4096;

/** The methods this project calls. */
export type BotMethod = 'getMe' | 'sendMessage' | 'deleteMessage' | 'editMessageText' | 'answerCallbackQuery' | 'setWebhook' | 'deleteWebhook';

/** "<bot id>:<secret>", the shape BotFather hands out. */
const TOKEN_SHAPE = /^(\d{1,20}):[A-Za-z0-9_-]{20,}$/;

export function isBotTokenShape(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/**
 * The bot's numeric id, the public half of its token (getMe returns it too): safe for Redis keys
 * and logs, unlike the token. Throws on a token that is not shaped like one.
 */
export function botIdOf(token: string): string {
  const m = TOKEN_SHAPE.exec(token);
  if (!m) throw new Error('not a bot token (expected "<digits>:<secret>")');
  return m[1]!;
}

/** Chats with a negative id are groups, supergroups or channels (the group limit applies). */
export function isGroupChat(chatId: number | string): boolean {
  return Number(chatId) < 0;
}
