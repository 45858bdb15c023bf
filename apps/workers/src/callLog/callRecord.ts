/**
 * A call record's events as the facts read them, and the enterprise's time zone, in one query: the
 * one extra read an applied event costs (the facts are computed from the whole record, never folded).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CorrelationEvent } from '@callpipe/correlation';
import type { Database } from '@callpipe/db';

export interface CallRecord {
  events: CorrelationEvent[];
  /** enterprises.time_zone; null = the PBX_TIME_ZONE default. */
  timeZone: string | null;
}

interface Row {
  tz: string | null;
  entry_key: string | null;
  event_type: string | null;
  at: Date | null;
  seq: string | null;
  body: unknown;
}

export async function readCallRecord(db: Kysely<Database> | Transaction<Database>, enterprise: string, callIds: readonly string[]): Promise<CallRecord> {
  const { rows } = await sql<Row>`
    SELECT z.tz, e.entry_key, e.event_type, e.at, e.seq, e.data -> 'body' AS body
    FROM (SELECT (SELECT time_zone FROM enterprises WHERE number = ${enterprise}) AS tz) z
    LEFT JOIN call_trace_entries e
      ON e.enterprise_number = ${enterprise} AND e.call_id = ANY(${[...callIds]}::text[]) AND e.kind = 'event'
  `.execute(db);
  const events = rows.filter((r) => r.entry_key !== null).map((r) => ({
    key: r.entry_key!, type: r.event_type ?? '', at: new Date(r.at!).getTime(),
    ...(r.seq !== null ? { seq: Number(r.seq) } : {}),
    body: r.body && typeof r.body === 'object' ? (r.body as Record<string, unknown>) : {},
  }));
  return { events, timeZone: rows[0]?.tz ?? null };
}
