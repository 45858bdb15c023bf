/** Who gets an enterprise's call messages: active telegram_users of its bot. */
import type { Kysely } from 'kysely';
import type { Database, RecipientRole } from '@callpipe/db';

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

/** 403 from Telegram: the user blocked the bot (or it left the group); stop sending there. */
export async function deactivateRecipient(db: Kysely<Database>, token: string, chatId: string): Promise<void> {
  await db.updateTable('telegram_users').set({ active: false }).where('bot_token', '=', token).where('tg_id', '=', chatId).execute();
}
