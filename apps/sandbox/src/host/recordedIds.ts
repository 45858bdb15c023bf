/**
 * Reads, from the call log in PostgreSQL, which record holds each of a set of ids and every id of
 * those records (two indexed queries on call_ids), for the demo's correlation check (tally.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { RecordedIds } from './tally.js';

/** The enterprise a host token belongs to (enterprises.name2), or null. */
export async function enterpriseOfToken(db: Kysely<Database>, token: string): Promise<string | null> {
  const row = await db.selectFrom('enterprises').select('number').where('name2', '=', token).executeTakeFirst();
  return row?.number ?? null;
}

export async function recordedIds(db: Kysely<Database>, enterprise: string, ids: readonly string[]): Promise<RecordedIds> {
  const recordOf = new Map<string, string>();
  const idsOf = new Map<string, string[]>();
  if (ids.length === 0) return { recordOf, idsOf };
  const held = await db.selectFrom('call_ids').select(['id_value', 'call_id'])
    .where('enterprise_number', '=', enterprise).where('id_value', 'in', [...ids]).execute();
  for (const r of held) recordOf.set(r.id_value, r.call_id);
  const records = [...new Set(held.map((r) => r.call_id))];
  if (records.length === 0) return { recordOf, idsOf };
  const all = await db.selectFrom('call_ids').select(['id_value', 'call_id'])
    .where('enterprise_number', '=', enterprise).where('call_id', 'in', records).execute();
  for (const r of all) {
    const list = idsOf.get(r.call_id);
    if (list) list.push(r.id_value);
    else idsOf.set(r.call_id, [r.id_value]);
  }
  return { recordOf, idsOf };
}
