/**
 * The `telegram` queue payload: bring one recipient's chat in line with one call record (a sync, safe
 * to run any number of times). The call log adds one per recipient for every event it applies.
 */
import type { JSONSchemaType } from 'ajv';

export interface TelegramJob {
  enterprise: string;
  /** The call record (call_traces.call_id) to render. */
  callId: string;
  /** telegram_users.tg_id: a user (positive) or a group (negative). */
  chatId: string;
  role: 'full' | 'brief';
  /** Records merged into callId by the entry that triggered this sync: their messages are removed. */
  absorbed: string[];
  /** The event type that triggered the sync (logs and the old phone:chat map's event_type). */
  reason: string;
  /** ISO time the trigger was applied. */
  at: string;
  /** IANA zone the call's host times are read in (the enterprise's, else PBX_TIME_ZONE); absent = Europe/Minsk. */
  timeZone?: string;
}

export const telegramJobSchema: JSONSchemaType<TelegramJob> = {
  type: 'object',
  required: ['enterprise', 'callId', 'chatId', 'role', 'absorbed', 'reason', 'at'],
  additionalProperties: false,
  properties: {
    enterprise: { type: 'string', minLength: 1, maxLength: 10, pattern: '^[A-Za-z0-9_]+$' },
    callId: { type: 'string', minLength: 1, maxLength: 128 },
    chatId: { type: 'string', minLength: 1, maxLength: 32, pattern: '^-?\\d+$' },
    role: { type: 'string', enum: ['full', 'brief'] },
    absorbed: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 }, maxItems: 1000 },
    reason: { type: 'string', minLength: 1, maxLength: 64 },
    at: { type: 'string', minLength: 1, maxLength: 64 },
    timeZone: { type: 'string', minLength: 1, maxLength: 64, nullable: true },
  },
};
