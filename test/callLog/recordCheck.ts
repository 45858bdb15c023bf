/**
 * What the call-log tests assert about one emulated call in PostgreSQL: exactly one record holds
 * its ids, that record holds exactly the call's ids and events, and its summary is the emulator's.
 */
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { sortedCopy, type EmulatedCall } from './emulatedCalls.js';

export async function expectOneRecord(db: Kysely<Database>, enterprise: string, c: EmulatedCall, label: string): Promise<string> {
  const x = c.call.expected;
  const ids = [...x.uniqueIds, ...x.bridgeUniqueIds];
  const owners = await db.selectFrom('call_ids').select('call_id').distinct()
    .where('enterprise_number', '=', enterprise).where('id_value', 'in', ids).execute();
  expect(owners.map((o) => o.call_id), `${label}: calls holding its ids`).toHaveLength(1);
  const callId = owners[0]!.call_id;
  const row = await db.selectFrom('call_traces').selectAll()
    .where('enterprise_number', '=', enterprise).where('call_id', '=', callId).executeTakeFirstOrThrow();
  expect({
    unique_ids: row.unique_ids, bridge_unique_ids: row.bridge_unique_ids, phones: row.phones, direction: row.direction,
    answered: row.answered, duration_sec: row.duration_sec, event_count: row.event_count,
    start_time: row.start_time?.toISOString(), end_time: row.end_time?.toISOString(),
  }, label).toEqual({
    unique_ids: sortedCopy(x.uniqueIds), bridge_unique_ids: sortedCopy(x.bridgeUniqueIds), phones: sortedCopy(x.externalPhones),
    direction: x.direction, answered: x.answered, duration_sec: x.durationSec, event_count: x.eventCount,
    start_time: x.startedAt, end_time: x.endedAt,
  });
  const mapped = await db.selectFrom('call_ids').select('id_value')
    .where('enterprise_number', '=', enterprise).where('call_id', '=', callId).execute();
  const graphIds = mapped.map((m) => m.id_value).filter((v) => !v.startsWith('local:'));
  expect(sortedCopy(graphIds), `${label}: ids of the record`).toEqual(sortedCopy(ids));
  const entries = await db.selectFrom('call_trace_entries').select(['entry_key', 'kind'])
    .where('enterprise_number', '=', enterprise).where('call_id', '=', callId).execute();
  expect(sortedCopy(entries.map((e) => e.entry_key)), `${label}: events of the record`).toEqual(sortedCopy(c.events.map((e) => e.key)));
  return callId;
}
