/**
 * Item 5 of the old system's hangup: the `calls` row (its uuid is the token every recipient's link
 * shares), the customer's aggregates, and call_events.telegram_sent once every recipient has the final
 * message. Each write is idempotent: the calls insert decides, once, whether the aggregates move.
 */
import { sql, type Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '@callpipe/db';
import { field, isExternalNumber, listField, numberField, type CorrelationEvent } from '@callpipe/correlation';
import { CHAT_STATE_TTL_SECONDS, finalDoneKey } from '@callpipe/telegram';

/** The PBX's local "YYYY-MM-DD HH:MM:SS" as a timestamp string PostgreSQL reads; else null. */
const hostTime = (v: string | undefined): string | null => (v && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v) ? v : null);

/** Seconds between the host's StartTime and EndTime of a hangup (its local clock on both); null when unreadable. */
function hostSeconds(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  const ms = Date.parse(`${end.replace(' ', 'T')}Z`) - Date.parse(`${start.replace(' ', 'T')}Z`);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 1000) : null;
}

/** One `calls` row per hangup the call's record holds, as the old system wrote one per hangup it got. */
export function callRowOf(hangup: CorrelationEvent): CallEnd {
  const b = hangup.body;
  const phone = field(b, 'Phone');
  const extensions = listField(b, 'Extensions').filter((x) => !isExternalNumber(x));
  return {
    hangup, phone: phone && isExternalNumber(phone) ? phone : null, extension: extensions[extensions.length - 1] ?? null,
    answered: numberField(b, 'CallStatus') === 2, durationSeconds: hostSeconds(hostTime(field(b, 'StartTime')), hostTime(field(b, 'EndTime'))),
    recordUrl: field(b, 'RecordUrl') ?? null,
  };
}

export interface CallEnd {
  hangup: CorrelationEvent;
  phone: string | null;
  extension: string | null;
  answered: boolean;
  durationSeconds: number | null;
  recordUrl: string | null;
}

export async function writeCallRow(db: Kysely<Database>, enterprise: string, end: CallEnd): Promise<boolean> {
  const b = end.hangup.body;
  const uniqueId = field(b, 'UniqueId');
  if (!uniqueId) return false;
  const inserted = await db.insertInto('calls').values({
    unique_id: uniqueId, enterprise_number: enterprise, token: field(b, 'Token') ?? null, phone: end.phone,
    extension: end.extension, call_type: numberField(b, 'CallType') ?? null, call_status: numberField(b, 'CallStatus') ?? null,
    date_received: hostTime(field(b, 'StartTime')), date_end: hostTime(field(b, 'EndTime')),
    duration: end.durationSeconds, record_url: end.recordUrl,
  }).onConflict((oc) => oc.columns(['enterprise_number', 'unique_id']).doNothing()).returning('id').executeTakeFirst();
  if (!inserted || !end.phone) return inserted !== undefined;
  const phone = `+${end.phone.replace(/\D/g, '')}`;
  await db.insertInto('customers').values({
    enterprise_number: enterprise, phone_e164: phone, total_calls: 1, total_answered: end.answered ? 1 : 0, last_call_at: new Date(end.hangup.at),
  }).onConflict((oc) => oc.columns(['enterprise_number', 'phone_e164']).doUpdateSet({
    total_calls: sql`customers.total_calls + 1`,
    total_answered: sql`customers.total_answered + ${end.answered ? 1 : 0}`,
    last_call_at: sql`GREATEST(customers.last_call_at, excluded.last_call_at)`,
    updated_at: sql`now()`,
  })).execute();
  return true;
}

/** Marks the chat done for the call; when every active recipient is, the hangups get telegram_sent. */
export async function markFinalDelivered(
  db: Kysely<Database>, redis: Redis, prefix: string, callId: string, chatId: string, recipients: readonly string[], hangupKeys: readonly string[],
): Promise<boolean> {
  const key = finalDoneKey(prefix, callId);
  await redis.multi().sadd(key, chatId).expire(key, CHAT_STATE_TTL_SECONDS).exec();
  const done = new Set(await redis.smembers(key));
  if (!recipients.every((r) => done.has(r)) || hangupKeys.length === 0) return false;
  await db.updateTable('call_events').set({ telegram_sent: true }).where('event_key', 'in', [...hangupKeys]).execute();
  return true;
}
