/** The call log's reads: a call by any of its ids, its timeline, a search, an enterprise's events of a day. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { CallTraceEntriesTable, CallTracesTable, Database } from '@callpipe/db';
import type { SearchParams } from './searchParams.js';

export type TraceRow = Selectable<CallTracesTable>;
export type EntryRow = Selectable<CallTraceEntriesTable>;

/** Most entries a trace answer carries (a busy call has ~100; this bounds a runaway one). */
export const TIMELINE_LIMIT = 5000;

/** The call that has `id` among its ids; when two enterprises both have it, the one updated last. */
export async function findCall(db: Kysely<Database>, id: string, enterprise?: string): Promise<TraceRow | undefined> {
  let q = db.selectFrom('call_ids as i')
    .innerJoin('call_traces as t', (j) => j.onRef('t.enterprise_number', '=', 'i.enterprise_number').onRef('t.call_id', '=', 'i.call_id'))
    .selectAll('t')
    .where('i.id_value', '=', id);
  if (enterprise) q = q.where('i.enterprise_number', '=', enterprise);
  return q.orderBy('t.updated_at', 'desc').limit(1).executeTakeFirst();
}

export async function timelineOf(db: Kysely<Database>, enterprise: string, callId: string): Promise<EntryRow[]> {
  return db.selectFrom('call_trace_entries').selectAll()
    .where('enterprise_number', '=', enterprise).where('call_id', '=', callId)
    .orderBy('at').orderBy(sql`seq NULLS LAST`).orderBy('entry_key')
    .limit(TIMELINE_LIMIT).execute();
}

export async function searchCalls(db: Kysely<Database>, p: SearchParams): Promise<{ total: number; rows: TraceRow[] }> {
  let q = db.selectFrom('call_traces').where('enterprise_number', '=', p.enterprise).where('event_count', '>', 0);
  if (p.phone) q = q.where(sql<boolean>`phones @> ARRAY[${p.phone}]::text[]`);
  if (p.from) q = q.where('start_time', '>=', p.from);
  if (p.to) q = q.where('start_time', '<', p.to);
  if (p.direction) q = q.where('direction', '=', p.direction);
  if (p.status) q = q.where('status', '=', p.status);
  const rows = await q.selectAll().select(sql<string>`count(*) OVER ()`.as('total'))
    .orderBy(sql`start_time DESC NULLS LAST`).orderBy('call_id').limit(p.limit).offset(p.offset).execute();
  const total = rows[0] ? Number(rows[0].total) : p.offset > 0 ? (await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n : 0;
  return { total: Number(total), rows: rows.map(({ total: _t, ...r }) => r) };
}

export async function eventsOfDay(db: Kysely<Database>, enterprise: string, from: Date, to: Date, limit: number, offset: number): Promise<EntryRow[]> {
  return db.selectFrom('call_trace_entries').selectAll()
    .where('enterprise_number', '=', enterprise).where('kind', '=', 'event')
    .where('at', '>=', from).where('at', '<', to)
    .orderBy('at').orderBy(sql`seq NULLS LAST`).orderBy('entry_key')
    .limit(limit).offset(offset).execute();
}
