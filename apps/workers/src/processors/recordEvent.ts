/** Writes accepted events to call_events, once: the event key is the row's identity. */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { callIds } from '@callpipe/events';
import type { EventJob } from '@callpipe/queues';

function rowOf(job: EventJob) {
  const ids = callIds(job.body);
  return {
    event_key: job.eventKey,
    unique_id: ids.uniqueId ?? ids.bridgeUniqueId,
    bridge_unique_id: ids.bridgeUniqueId,
    event_type: job.eventType,
    enterprise_number: job.enterprise,
    event_timestamp: job.receivedAt,
    data_source: job.source,
    raw_data: JSON.stringify(job.body),
    seq: job.seq,
  };
}

/** True when this call inserted the row, false when an earlier delivery already had. */
export async function recordEvent(db: Kysely<Database>, job: EventJob): Promise<boolean> {
  const result = await db.insertInto('call_events').values(rowOf(job))
    .onConflict((oc) => oc.column('event_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Many events in one statement (a batch, ../callLog/applyBatch.ts); the keys this call inserted. */
export async function recordEvents(db: Kysely<Database>, jobs: readonly EventJob[]): Promise<Set<string>> {
  const unique = [...new Map(jobs.map((j) => [j.eventKey, j])).values()];
  if (unique.length === 0) return new Set();
  const rows = await db.insertInto('call_events').values(unique.map(rowOf))
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('event_key').execute();
  return new Set(rows.flatMap((r) => (r.event_key === null ? [] : [r.event_key])));
}
