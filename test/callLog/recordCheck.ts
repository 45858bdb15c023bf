/**
 * What the call-log tests assert about one emulated call in PostgreSQL: for each record the call
 * must make, exactly one record holds its ids, that record holds exactly those ids and events, and
 * its summary is the emulator's.
 */
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { sortedCopy, type EmulatedCall, type EmulatedRecord } from './emulatedCalls.js';

/** Every record of the call as expected; their call ids, main call first. */
/** `eventsOnly`: the record may hold entries of other kinds too (Telegram sends); its events must still be exactly the call's. */
export async function expectRecords(db: Kysely<Database>, enterprise: string, c: EmulatedCall, label: string, o: { eventsOnly?: boolean } = {}): Promise<string[]> {
  const ids: string[] = [];
  for (const [r, record] of c.records.entries()) ids.push(await expectRecord(db, enterprise, record, c.records.length > 1 ? `${label} record ${r}` : label, o.eventsOnly ?? false));
  expect(new Set(ids).size, `${label}: distinct records`).toBe(ids.length);
  return ids;
}

/** A call that must make exactly one record (the pattern's only one); its call id. */
export async function expectOneRecord(db: Kysely<Database>, enterprise: string, c: EmulatedCall, label: string): Promise<string> {
  expect(c.records, `${label}: records the pattern makes`).toHaveLength(1);
  return expectRecord(db, enterprise, c.records[0]!, label, false);
}

async function expectRecord(db: Kysely<Database>, enterprise: string, c: EmulatedRecord, label: string, eventsOnly: boolean): Promise<string> {
  const x = c.expected;
  const ids = [...x.uniqueIds, ...x.bridgeUniqueIds];
  const owners = await db.selectFrom('call_ids').select('call_id').distinct()
    .where('enterprise_number', '=', enterprise).where('id_value', 'in', ids).execute();
  expect(owners.map((o) => o.call_id), `${label}: calls holding its ids`).toHaveLength(1);
  const callId = owners[0]!.call_id;
  const row = await db.selectFrom('call_traces').selectAll()
    .where('enterprise_number', '=', enterprise).where('call_id', '=', callId).executeTakeFirstOrThrow();
  expect({
    unique_ids: row.unique_ids, bridge_unique_ids: row.bridge_unique_ids, phones: row.phones, direction: row.direction,
    answered: row.answered, event_count: row.event_count,
  }, label).toEqual({
    unique_ids: sortedCopy(x.uniqueIds), bridge_unique_ids: sortedCopy(x.bridgeUniqueIds), phones: sortedCopy(x.externalPhones),
    direction: x.direction, answered: x.answered, event_count: x.eventCount,
  });
  // Times are the call facts': the PBX's StartTime/EndTime, whole seconds of the host's clock (stamped a
  // few ms before the record's first event), so within a second or so of the emulator's own event times,
  // and the duration their difference.
  const within = (at: Date | null, iso: string) => at !== null && Math.abs(at.getTime() - Date.parse(iso)) < 1100;
  expect(within(row.start_time, x.startedAt), `${label}: start ${row.start_time?.toISOString()} vs ${x.startedAt}`).toBe(true);
  expect(within(row.end_time, x.endedAt), `${label}: end ${row.end_time?.toISOString()} vs ${x.endedAt}`).toBe(true);
  expect(Math.abs((row.duration_sec ?? -9) - x.durationSec), `${label}: duration ${row.duration_sec} vs ${x.durationSec}`).toBeLessThanOrEqual(1);
  const mapped = await db.selectFrom('call_ids').select('id_value')
    .where('enterprise_number', '=', enterprise).where('call_id', '=', callId).execute();
  const graphIds = mapped.map((m) => m.id_value).filter((v) => !v.startsWith('local:'));
  expect(sortedCopy(graphIds), `${label}: ids of the record`).toEqual(sortedCopy(ids));
  const entries = await db.selectFrom('call_trace_entries').select(['entry_key', 'kind'])
    .where('enterprise_number', '=', enterprise).where('call_id', '=', callId)
    .$if(eventsOnly, (q) => q.where('kind', '=', 'event')).execute();
  expect(sortedCopy(entries.map((e) => e.entry_key)), `${label}: events of the record`).toEqual(sortedCopy(c.events.map((e) => e.key)));
  return callId;
}
