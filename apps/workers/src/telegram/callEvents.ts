/** The call record's events, as the correlation reads them (one query). */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { CorrelationEvent } from '@callpipe/correlation';

export async function eventsOfCall(db: Kysely<Database>, enterprise: string, callId: string): Promise<CorrelationEvent[]> {
  const rows = await db.selectFrom('call_trace_entries')
    .select(['entry_key', 'event_type', 'at', 'seq', 'data'])
    .where('enterprise_number', '=', enterprise).where('call_id', '=', callId).where('kind', '=', 'event')
    .execute();
  return rows.map((r) => {
    const body = (r.data as { body?: unknown }).body;
    return {
      key: r.entry_key, type: r.event_type ?? '', at: new Date(r.at).getTime(), ...(r.seq !== null ? { seq: Number(r.seq) } : {}),
      body: body && typeof body === 'object' ? (body as Record<string, unknown>) : {},
    };
  });
}

/** The bot token of the enterprise and how many recipients are active now. */
export async function botOf(db: Kysely<Database>, enterprise: string): Promise<string | null> {
  const row = await db.selectFrom('enterprises').select('bot_token').where('number', '=', enterprise).executeTakeFirst();
  return row?.bot_token ?? null;
}
