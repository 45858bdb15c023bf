/** Writes accepted events to call_events, once: the event key is the row's identity. */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { callIds } from '@callpipe/events';
import type { EventJob } from '@callpipe/queues';

/** The event's call_events row; raw_data is the body itself (the batch statement passes rows as JSON). */
export function callEventRow(job: EventJob) {
  const ids = callIds(job.body);
  return {
    event_key: job.eventKey,
    unique_id: ids.uniqueId ?? ids.bridgeUniqueId ?? null,
    bridge_unique_id: ids.bridgeUniqueId ?? null,
    event_type: job.eventType,
    enterprise_number: job.enterprise,
    event_timestamp: job.receivedAt,
    data_source: job.source,
    raw_data: job.body as unknown,
    seq: job.seq ?? null,
  };
}

/** True when this call inserted the row, false when an earlier delivery already had. */
export async function recordEvent(db: Kysely<Database>, job: EventJob): Promise<boolean> {
  const row = callEventRow(job);
  const result = await db.insertInto('call_events').values({ ...row, raw_data: JSON.stringify(row.raw_data) })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
