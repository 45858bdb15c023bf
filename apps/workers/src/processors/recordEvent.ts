/** Writes one accepted event to call_events, once: the event key is the row's identity. */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { callIds } from '@callpipe/events';
import type { EventJob } from '@callpipe/queues';

/** True when this call inserted the row, false when an earlier delivery already had. */
export async function recordEvent(db: Kysely<Database>, job: EventJob): Promise<boolean> {
  const ids = callIds(job.body);
  const result = await db.insertInto('call_events')
    .values({
      event_key: job.eventKey,
      unique_id: ids.uniqueId ?? ids.bridgeUniqueId,
      bridge_unique_id: ids.bridgeUniqueId,
      event_type: job.eventType,
      enterprise_number: job.enterprise,
      event_timestamp: job.receivedAt,
      data_source: job.source,
      raw_data: JSON.stringify(job.body),
      seq: job.seq,
    })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
