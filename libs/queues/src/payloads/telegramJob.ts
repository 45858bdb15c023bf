/**
 * The `telegram` queue payload: bring a call's recipients' chats in line with its call record (a sync,
 * safe to run again and again). The call log adds one per call for the events it applies, naming
 * every active recipient (`chats`): one job, one read of the record and one lock round trip for all of
 * them, not one of each per chat (issue 12: a round trip is most of what a sync costs). A job of one
 * chat (`chatId` and `role`, the shape before) is still accepted, so jobs queued by an older workers
 * process are synced, not refused.
 */
import type { JSONSchemaType } from 'ajv';

export type RecipientRole = 'full' | 'brief';

export interface TelegramChat {
  /** telegram_users.tg_id: a user (positive) or a group (negative). */
  chatId: string;
  role: RecipientRole;
}

export interface TelegramJob {
  enterprise: string;
  /** The call record (call_traces.call_id) to render. */
  callId: string;
  /** The chats to bring in line (the enterprise's active recipients when the trigger was applied). */
  chats?: TelegramChat[];
  /** One chat (jobs queued before `chats`). */
  chatId?: string;
  role?: RecipientRole;
  /** Records merged into callId by the entry that triggered this sync: their messages are removed. */
  absorbed: string[];
  /** The event type that triggered the sync (logs and the old phone:chat map's event_type). */
  reason: string;
  /** ISO time the trigger was applied. */
  at: string;
  /** IANA zone the call's host times are read in (the enterprise's, else PBX_TIME_ZONE); absent = Europe/Minsk. */
  timeZone?: string;
}

/** The chats a job names, whichever shape it has. */
export function chatsOfJob(job: TelegramJob): TelegramChat[] {
  if (job.chats) return job.chats;
  return job.chatId && job.role ? [{ chatId: job.chatId, role: job.role }] : [];
}

const chatIdSchema = { type: 'string', minLength: 1, maxLength: 32, pattern: '^-?\\d+$' } as const;
const roleSchema = { type: 'string', enum: ['full', 'brief'] } as const;

export const telegramJobSchema: JSONSchemaType<TelegramJob> = {
  type: 'object',
  required: ['enterprise', 'callId', 'absorbed', 'reason', 'at'],
  // One shape or the other, never a job that names no chat (nor both).
  oneOf: [
    { required: ['chats'], properties: { chats: { type: 'array' } } },
    { required: ['chatId', 'role'], properties: { chatId: { type: 'string' }, role: { type: 'string' } } },
  ],
  additionalProperties: false,
  properties: {
    enterprise: { type: 'string', minLength: 1, maxLength: 10, pattern: '^[A-Za-z0-9_]+$' },
    callId: { type: 'string', minLength: 1, maxLength: 128 },
    chats: {
      type: 'array', minItems: 1, maxItems: 1000, nullable: true,
      items: { type: 'object', required: ['chatId', 'role'], additionalProperties: false, properties: { chatId: chatIdSchema, role: roleSchema } },
    },
    chatId: { ...chatIdSchema, nullable: true },
    role: { ...roleSchema, nullable: true },
    absorbed: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 }, maxItems: 1000 },
    reason: { type: 'string', minLength: 1, maxLength: 64 },
    at: { type: 'string', minLength: 1, maxLength: 64 },
    timeZone: { type: 'string', minLength: 1, maxLength: 64, nullable: true },
  },
};
