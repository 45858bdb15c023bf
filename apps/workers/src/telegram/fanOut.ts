/**
 * The Telegram step after the call log applied an event: one sync of the call for all the enterprise's
 * active recipients (one job, not one per chat: issue 12). A burst of events of one call costs one
 * sync, not one per event: a sync renders the record as it is when it runs, so while one sync of the
 * call waits, more triggers add nothing, and while one runs, one more is kept to run after it (BullMQ
 * deduplication with keepLastIfActive: at most one active and one waiting per call). A trigger that
 * merged records carries their ids to clean up, so it is never folded into another. With a delay, the
 * first trigger of a burst waits that long (a delayed job keeps its deduplication id), so events a few
 * ms apart make one message instead of a message and its replacement.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Producers, TelegramJob } from '@callpipe/queues';
import { recipientsVia, type RecipientsCache } from './recipients.js';

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

/** One pending sync per call; the queue's own key prefix keeps it in the queue's hash slot. */
export function syncDedupId(callId: string): string {
  return `sync:${callId}`;
}

/** `recipients`: the process's cache of each enterprise's recipients (recipients.ts); without it, read each time. */
export async function enqueueSyncs(db: Kysely<Database>, producers: Producers, t: SyncTrigger, recipientsCache?: RecipientsCache): Promise<number> {
  const recipients = await recipientsVia(db, t.enterprise, recipientsCache);
  if (recipients.length === 0) return 0;
  const data: TelegramJob = {
    enterprise: t.enterprise, callId: t.callId, chats: recipients.map((r) => ({ chatId: r.chatId, role: r.role })), absorbed: [...t.merged],
    reason: t.eventType, at: new Date().toISOString(), timeZone: t.timeZone,
  };
  await producers.add('telegram', t.eventType, data, t.merged.length === 0
    ? { deduplication: { id: syncDedupId(t.callId), keepLastIfActive: true }, ...(t.delayMs ? { delay: t.delayMs } : {}) }
    : undefined);
  return recipients.length;
}
