/**
 * After the call log applied an event: one sync per active recipient of the enterprise. No job id on
 * purpose: every event must trigger a sync; the sync is what is idempotent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Producers, TelegramJob } from '@callpipe/queues';
import { recipientsOf } from './recipients.js';

export async function enqueueSyncs(
  db: Kysely<Database>, producers: Producers, enterprise: string, callId: string, absorbed: readonly string[], reason: string,
): Promise<number> {
  const recipients = await recipientsOf(db, enterprise);
  if (recipients.length === 0) return 0;
  const at = new Date().toISOString();
  await producers.addBulk('telegram', recipients.map((r) => ({
    name: reason,
    data: { enterprise, callId, chatId: r.chatId, role: r.role, absorbed: [...absorbed], reason, at } satisfies TelegramJob,
  })));
  return recipients.length;
}
