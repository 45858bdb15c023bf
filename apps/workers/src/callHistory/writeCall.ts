/**
 * The call-history step: once a call's record has its summary hangup, ONE `calls` row keyed by its
 * callRef (upserted: a later event, merge or redelivery corrects it) and the customer's aggregates,
 * moved once per call — for every enterprise, with or without Telegram recipients.
 *
 * Idempotent and safe against stale facts: it locks the call's trace row, and writes only when the
 * record still holds exactly the events the facts were computed from (a later entry's step, with
 * fresher facts, writes instead). Rows an earlier, partial record filed under another of the call's
 * UniqueIds are folded into this one, and their aggregates moved with them.
 */
import { sql, type Kysely } from 'kysely';
import type { CallFacts } from '@callpipe/call-facts';
import type { Database } from '@callpipe/db';
import { callRowOf, customerOf, type CallRow } from './callRow.js';

export type CallWriteOutcome = 'not-ended' | 'stale' | 'written';

interface Prior { unique_id: string; phone: string | null; call_type: number | null; call_status: number | null }

const answeredOf = (r: Pick<CallRow, 'call_status'> | Prior): number => (r.call_status === 2 ? 1 : 0);

export async function writeCallHistory(db: Kysely<Database>, enterprise: string, facts: CallFacts | null, at = new Date()): Promise<CallWriteOutcome> {
  const row = facts ? callRowOf(facts) : null;
  if (!facts || !row) return 'not-ended';
  return db.transaction().execute(async (trx) => {
    const current = await sql<{ event_count: number }>`
      SELECT t.event_count FROM call_ids i
      JOIN call_traces t ON t.enterprise_number = i.enterprise_number AND t.call_id = i.call_id
      WHERE i.enterprise_number = ${enterprise} AND i.id_value = ${facts.callRef}
      FOR UPDATE OF t
    `.execute(trx);
    if (current.rows[0]?.event_count !== facts.eventCount) return 'stale';
    const prior = await trx.selectFrom('calls').select(['unique_id', 'phone', 'call_type', 'call_status'])
      .where('enterprise_number', '=', enterprise).where('unique_id', 'in', facts.uniqueIds).forUpdate().execute();
    const superseded = prior.filter((p) => p.unique_id !== row.unique_id).map((p) => p.unique_id);
    if (superseded.length > 0) {
      await trx.deleteFrom('calls').where('enterprise_number', '=', enterprise).where('unique_id', 'in', superseded).execute();
    }
    await trx.insertInto('calls').values({
      enterprise_number: enterprise, ...row,
      token: sql<string | null>`(SELECT name2 FROM enterprises WHERE number = ${enterprise})`,
    }).onConflict((oc) => oc.columns(['enterprise_number', 'unique_id']).doUpdateSet((eb) => ({
      phone: eb.ref('excluded.phone'), extension: eb.ref('excluded.extension'), call_type: eb.ref('excluded.call_type'),
      call_status: eb.ref('excluded.call_status'), date_received: eb.ref('excluded.date_received'), date_end: eb.ref('excluded.date_end'),
      duration: eb.ref('excluded.duration'), record_url: eb.ref('excluded.record_url'),
    }))).execute();
    // Aggregates: what the prior rows counted comes off, what this row counts goes on; a rewrite of the
    // same row nets to nothing, so redeliveries and repeated hangup syncs never count twice.
    const delta = new Map<string, { calls: number; answered: number }>();
    const add = (phone: string | null, calls: number, answered: number) => {
      if (!phone) return;
      const d = delta.get(phone) ?? { calls: 0, answered: 0 };
      delta.set(phone, { calls: d.calls + calls, answered: d.answered + answered });
    };
    for (const p of prior) add(customerOf(p), -1, -answeredOf(p));
    add(customerOf(row), 1, answeredOf(row));
    for (const [phone, d] of delta) {
      if (d.calls === 0 && d.answered === 0) continue;
      await trx.insertInto('customers').values({
        enterprise_number: enterprise, phone_e164: phone, total_calls: Math.max(0, d.calls), total_answered: Math.max(0, d.answered),
        last_call_at: row.date_end ?? at,
      }).onConflict((oc) => oc.columns(['enterprise_number', 'phone_e164']).doUpdateSet({
        total_calls: sql`GREATEST(0, customers.total_calls + ${d.calls})`,
        total_answered: sql`GREATEST(0, customers.total_answered + ${d.answered})`,
        last_call_at: sql`GREATEST(customers.last_call_at, excluded.last_call_at)`,
        updated_at: sql`now()`,
      })).execute();
    }
    return 'written';
  });
}
