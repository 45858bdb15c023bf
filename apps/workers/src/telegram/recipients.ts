/** Who gets an enterprise's call messages: active telegram_users of its bot. */
import type { Kysely } from 'kysely';
import type { Database, RecipientRole } from '@callpipe/db';
import { TtlMap } from '@callpipe/config-cache';

export interface Recipient { chatId: string; role: RecipientRole }

export async function recipientsOf(db: Kysely<Database>, enterprise: string): Promise<Recipient[]> {
  const rows = await db.selectFrom('telegram_users as u')
    .innerJoin('enterprises as e', 'e.bot_token', 'u.bot_token')
    .select(['u.tg_id', 'u.role'])
    .where('e.number', '=', enterprise).where('u.active', '=', true)
    .execute();
  const seen = new Map<string, RecipientRole>();
  for (const r of rows) if (!seen.has(String(r.tg_id))) seen.set(String(r.tg_id), r.role);
  return [...seen].map(([chatId, role]) => ({ chatId, role }));
}

/**
 * How long a workers process reuses an enterprise's recipients when it queues syncs (one read an
 * applied event was a third of the telegram phase's statements, issue 12): a chat linked that recently
 * may miss a sync of a call already running, and one unlinked that recently may be named once more
 * (a chat that blocked the bot answers 403 and is marked inactive again).
 */
export const RECIPIENTS_CACHE_MS = 2_000;
const RECIPIENTS_CACHE_ENTRIES = 10_000;

export function recipientsCache(): TtlMap<Recipient[]> {
  return new TtlMap<Recipient[]>(RECIPIENTS_CACHE_MS, RECIPIENTS_CACHE_ENTRIES);
}

/** recipientsOf, reused from `cache` while fresh. */
export async function cachedRecipientsOf(db: Kysely<Database>, enterprise: string, cache: TtlMap<Recipient[]>): Promise<Recipient[]> {
  return cache.getOrLoad(enterprise, () => recipientsOf(db, enterprise));
}

/** 403 from Telegram: the user blocked the bot (or it left the group); stop sending there. */
export async function deactivateRecipient(db: Kysely<Database>, token: string, chatId: string): Promise<void> {
  await db.updateTable('telegram_users').set({ active: false }).where('bot_token', '=', token).where('tg_id', '=', chatId).execute();
}
