/**
 * The Telegram step after the call log applied an event: one sync per active recipient of the
 * enterprise. A burst of events of one call costs one sync per chat, not one per event: a sync
 * renders the record as it is when it runs, so while one (chat, call) sync waits, more triggers add
 * nothing, and while one runs, one more is kept to run after it (BullMQ deduplication with
 * keepLastIfActive: at most one active and one waiting per chat and call). A trigger that merged
 * records carries their ids to clean up, so it is never folded into another. With a delay, the first
 * trigger of a burst waits that long (a delayed job keeps its deduplication id), so events a few ms
 * apart make one message instead of a message and its replacement.
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
  /** Hold the sync this long (debounce): triggers meanwhile fold into it. 0 or absent: at once. */
  delayMs?: number;
}

/** One pending sync per (chat, call); the queue's own key prefix keeps it in the queue's hash slot. */
export function syncDedupId(chatId: string, callId: string): string {
  return `sync:${chatId}:${callId}`;
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
    ...(t.merged.length === 0 ? {
      opts: { deduplication: { id: syncDedupId(r.chatId, t.callId), keepLastIfActive: true }, ...(t.delayMs ? { delay: t.delayMs } : {}) },
    } : {}),
  })));
  return recipients.length;
}
