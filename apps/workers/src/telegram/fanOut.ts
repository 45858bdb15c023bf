/**
 * The Telegram step after the call log applied an event: one sync per active recipient of the
 * enterprise. No job id on purpose: every event must trigger a sync; the sync is what is idempotent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Producers, TelegramJob } from '@callpipe/queues';
import { recipientsOf } from './recipients.js';

export interface SyncTrigger {
  enterprise: string;
  callId: string;
  /** Records this entry merged into callId: their messages are removed. */
  merged: readonly string[];
  eventType: string;
  /** The zone the call's facts read host times in, so the sync reads them the same way. */
  timeZone: string;
}

export async function enqueueSyncs(db: Kysely<Database>, producers: Producers, t: SyncTrigger): Promise<number> {
  const recipients = await recipientsOf(db, t.enterprise);
  if (recipients.length === 0) return 0;
  const at = new Date().toISOString();
  await producers.addBulk('telegram', recipients.map((r) => ({
    name: t.eventType,
    data: {
      enterprise: t.enterprise, callId: t.callId, chatId: r.chatId, role: r.role, absorbed: [...t.merged], reason: t.eventType, at, timeZone: t.timeZone,
    } satisfies TelegramJob,
  })));
  return recipients.length;
}
