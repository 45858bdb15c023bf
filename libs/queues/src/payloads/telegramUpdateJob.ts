/**
 * The `telegram-updates` queue payload: one button press (a callback_query update) of one bot, as
 * the gateway's webhook or the workers' long poll received it. Only the fields the call-back reads are
 * kept; the job id is the bot's id and the update_id, so a redelivered update is handled once.
 */
import type { JSONSchemaType } from 'ajv';

export interface TelegramCallbackQuery {
  id: string;
  from: { id: number; first_name: string; last_name?: string; username?: string };
  data?: string;
  /** The message the button was under (absent when Telegram no longer has it). */
  message?: { message_id: number; chat: { id: number } };
}

export interface TelegramUpdateJob {
  /** The bot's numeric id (the token's public half): which enterprise's bot got the press. */
  botId: string;
  updateId: number;
  via: 'webhook' | 'polling';
  callbackQuery: TelegramCallbackQuery;
}

export const telegramUpdateJobId = (botId: string, updateId: number): string => `tgupd-${botId}-${updateId}`;

export const telegramUpdateJobSchema: JSONSchemaType<TelegramUpdateJob> = {
  type: 'object',
  required: ['botId', 'updateId', 'via', 'callbackQuery'],
  additionalProperties: false,
  properties: {
    botId: { type: 'string', pattern: '^\\d{1,20}$' },
    updateId: { type: 'integer', minimum: 0 },
    via: { type: 'string', enum: ['webhook', 'polling'] },
    callbackQuery: {
      type: 'object',
      required: ['id', 'from'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 64 },
        from: {
          type: 'object',
          required: ['id', 'first_name'],
          additionalProperties: false,
          properties: {
            id: { type: 'integer' },
            first_name: { type: 'string', maxLength: 256 },
            last_name: { type: 'string', maxLength: 256, nullable: true },
            username: { type: 'string', maxLength: 64, nullable: true },
          },
        },
        data: { type: 'string', maxLength: 64, nullable: true },
        message: {
          type: 'object',
          nullable: true,
          required: ['message_id', 'chat'],
          additionalProperties: false,
          properties: {
            message_id: { type: 'integer' },
            chat: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'integer' } } },
          },
        },
      },
    },
  },
};

/** The job of a raw update, or null when it is not a callback query we can read. */
export function telegramUpdateJobOf(botId: string, update: unknown, via: TelegramUpdateJob['via']): TelegramUpdateJob | null {
  const u = update as { update_id?: unknown; callback_query?: Record<string, unknown> } | null;
  const q = u?.callback_query;
  if (!u || typeof u.update_id !== 'number' || !q || typeof q.id !== 'string') return null;
  const from = q.from as { id?: unknown; first_name?: unknown; last_name?: unknown; username?: unknown } | undefined;
  if (!from || typeof from.id !== 'number') return null;
  const msg = q.message as { message_id?: unknown; chat?: { id?: unknown } } | undefined;
  const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : undefined);
  const lastName = str(from.last_name, 256);
  const username = str(from.username, 64);
  const data = typeof q.data === 'string' && q.data.length <= 64 ? q.data : undefined;
  return {
    botId, updateId: u.update_id, via,
    callbackQuery: {
      id: q.id.slice(0, 64),
      from: { id: from.id, first_name: str(from.first_name, 256) ?? '', ...(lastName ? { last_name: lastName } : {}), ...(username ? { username } : {}) },
      ...(data ? { data } : {}),
      ...(msg && typeof msg.message_id === 'number' && typeof msg.chat?.id === 'number' ? { message: { message_id: msg.message_id, chat: { id: msg.chat.id } } } : {}),
    },
  };
}
