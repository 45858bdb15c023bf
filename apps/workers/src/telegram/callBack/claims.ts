/**
 * The call-back claims in PostgreSQL (call_backs, migration 0005): one row per called-back call. The
 * claim is one INSERT … ON CONFLICT: whoever inserts (or takes over a failed or abandoned claim) calls;
 * everyone else finds the row and is told who is on it. The same row is the note the Telegram sync
 * renders under the call's final message, so a later sync shows it rather than wiping it.
 */
import { sql, type Kysely } from 'kysely';
import type { CallBackState } from '@callpipe/telegram';
import type { Database } from '@callpipe/db';

export interface ClaimRequest {
  enterprise: string;
  callRef: string;
  tgUserId: number;
  userName: string;
  extension: string;
  phone: string;
  callbackQueryId: string;
}

export interface StoredCallBack extends CallBackState {
  callbackQueryId: string;
  newUniqueId: string | null;
}

export type ClaimResult =
  | { claimed: true }
  /** This very press was claimed before (the job is a retry): nothing is rung again. */
  | { claimed: false; sameQuery: true; existing: StoredCallBack }
  | { claimed: false; sameQuery: false; existing: StoredCallBack };

type Row = { status: CallBackState['status']; user_name: string; extension: string; claimed_at: Date; result_message: string | null; callback_query_id: string; new_unique_id: string | null };

const stateOf = (r: Row): StoredCallBack => ({
  status: r.status, userName: r.user_name, extension: r.extension, claimedAt: new Date(r.claimed_at),
  resultMessage: r.result_message, callbackQueryId: r.callback_query_id, newUniqueId: r.new_unique_id,
});

/**
 * Claims the call for this press. A failed call-back, or one still "placing" past `staleAfterMs`
 * (its worker died mid-call), may be claimed again.
 */
export async function claimCallBack(db: Kysely<Database>, c: ClaimRequest, staleAfterMs: number): Promise<ClaimResult> {
  const won = await db.insertInto('call_backs').values({
    enterprise_number: c.enterprise, call_ref: c.callRef, status: 'placing', tg_user_id: c.tgUserId, user_name: c.userName,
    extension: c.extension, phone: c.phone, callback_query_id: c.callbackQueryId,
  }).onConflict((oc) => oc.columns(['enterprise_number', 'call_ref']).doUpdateSet({
    status: 'placing', tg_user_id: c.tgUserId, user_name: c.userName, extension: c.extension, phone: c.phone,
    callback_query_id: c.callbackQueryId, claimed_at: sql<Date>`now()`, finished_at: null, result_message: null, new_unique_id: null,
  }).where((eb) => eb.or([
    eb('call_backs.status', '=', 'failed'),
    eb.and([eb('call_backs.status', '=', 'placing'), eb('call_backs.claimed_at', '<', sql<Date>`now() - make_interval(secs => ${staleAfterMs / 1000})`)]),
  ]))).returning('callback_query_id').executeTakeFirst();
  if (won?.callback_query_id === c.callbackQueryId) return { claimed: true };
  const existing = await readCallBack(db, c.enterprise, c.callRef);
  if (!existing) throw new Error(`call-back claim of ${c.callRef} neither won nor found`);
  return existing.callbackQueryId === c.callbackQueryId ? { claimed: false, sameQuery: true, existing } : { claimed: false, sameQuery: false, existing };
}

export async function finishCallBack(
  db: Kysely<Database>, enterprise: string, callRef: string, callbackQueryId: string, status: 'placed' | 'failed', message: string, newUniqueId: string | null,
): Promise<void> {
  await db.updateTable('call_backs').set({ status, result_message: message, new_unique_id: newUniqueId, finished_at: sql<Date>`now()` })
    .where('enterprise_number', '=', enterprise).where('call_ref', '=', callRef).where('callback_query_id', '=', callbackQueryId)
    .execute();
}

export async function readCallBack(db: Kysely<Database>, enterprise: string, callRef: string): Promise<StoredCallBack | null> {
  const r = await db.selectFrom('call_backs')
    .select(['status', 'user_name', 'extension', 'claimed_at', 'result_message', 'callback_query_id', 'new_unique_id'])
    .where('enterprise_number', '=', enterprise).where('call_ref', '=', callRef).executeTakeFirst();
  return r ? stateOf(r as Row) : null;
}
