/** The call record's events, as the correlation reads them (one query). */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { CorrelationEvent } from '@callpipe/correlation';

type EventRow = { entry_key: string; event_type: string | null; at: Date | string; seq: string | number | null; data: unknown };

function eventOf(r: EventRow): CorrelationEvent {
  const body = (r.data as { body?: unknown }).body;
  return {
    key: r.entry_key, type: r.event_type ?? '', at: new Date(r.at).getTime(), ...(r.seq !== null ? { seq: Number(r.seq) } : {}),
    body: body && typeof body === 'object' ? (body as Record<string, unknown>) : {},
  };
}

export async function eventsOfCall(db: Kysely<Database>, enterprise: string, callId: string): Promise<CorrelationEvent[]> {
  const rows = await db.selectFrom('call_trace_entries')
    .select(['entry_key', 'event_type', 'at', 'seq', 'data'])
    .where('enterprise_number', '=', enterprise).where('call_id', '=', callId).where('kind', '=', 'event')
    .execute();
  return rows.map(eventOf);
}

/** The enterprise's bot token (null: none) and the call record's events, in one statement; null for an unknown enterprise. */
export async function botAndEventsOfCall(db: Kysely<Database>, enterprise: string, callId: string): Promise<{ token: string | null; events: CorrelationEvent[] } | null> {
  const rows = await db.selectFrom('enterprises as e')
    .leftJoin('call_trace_entries as t', (j) => j.on('t.enterprise_number', '=', enterprise).on('t.call_id', '=', callId).on('t.kind', '=', 'event'))
    .select(['e.bot_token', 't.entry_key', 't.event_type', 't.at', 't.seq', 't.data'])
    .where('e.number', '=', enterprise)
    .execute();
  if (rows.length === 0) return null;
  const events = rows.flatMap((r) => (r.entry_key === null || r.at === null ? [] : [eventOf({ ...r, entry_key: r.entry_key, at: r.at })]));
  return { token: rows[0]!.bot_token ?? null, events };
}
