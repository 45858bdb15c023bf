/**
 * Applies one timeline entry to the call log, in one transaction of two statements (three with a merge):
 *
 * 1. call_log_begin (begin.ts): lock the entry's nodes and soft-link keys (advisory, sorted), so
 *    entries that could join or open the same call are serialized and a redelivered entry is seen as
 *    stored; find the calls it joins (ids, soft links) and lock their rows in call_id order — one
 *    merged away meanwhile means starting over;
 * 2. none: open a call named by the entry's first id; one: append; several: merge them into the
 *    smallest call id (ids and entries repointed, summaries combined, the others' rows deleted);
 * 3. an event entry: read the record's events (one query, readCallRecord) and compute the call facts
 *    (libs/callFacts), which give the summary's direction, status, host times and duration;
 * 4. call_log_write: the entry, its ids, its soft facts and the new summary, in one statement (any other
 *    entry leaves the summary as it is).
 *
 * Locks are always taken nodes first, then call rows, each in one order, so writers never wait in a
 * cycle. The common case (the call exists, no merge) reads the call's row and writes one entry row,
 * the id rows it adds and that summary row. Ids, phones and counts are a commutative fold and the facts
 * are a pure function of the record's events, so the record does not depend on arrival order.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { callFacts, DEFAULT_TIME_ZONE, type CallFacts } from '@callpipe/call-facts';
import { combine, EMPTY_FOLD, type CallFold, type CorrelationEvent } from '@callpipe/correlation';
import type { Database } from '@callpipe/db';
import { readCallRecord } from './callRecord.js';
import type { EntryInput } from './entryInput.js';
import { foldFromRow, rowOf } from './foldRow.js';
import { beginEntry } from './begin.js';
import type { CallLogPartitions } from './partitions.js';
import { isMissingPartition, isRetryable } from './retry.js';

export type ApplyOutcome = 'created' | 'appended' | 'merged' | 'duplicate';

export interface ApplyResult {
  outcome: ApplyOutcome;
  callId: string;
  /** Calls merged into callId by this entry. */
  merged: string[];
  /** Transactions run (1 unless a race made it start over). */
  attempts: number;
  /** Event entries (duplicates too): the call's facts after this entry; null for other entries or while nothing tells a call. */
  facts: CallFacts | null;
  /** The zone the facts read the PBX's times in (the enterprise's, else the default). */
  timeZone: string;
}

export interface ApplyOptions {
  /** PBX_TIME_ZONE: for enterprises whose time_zone is empty. */
  defaultTimeZone?: string;
  /**
   * Runs first in the entry's transaction, on every attempt: the events job stores its call_events row
   * here, so an event costs one transaction, not two (issue 12).
   */
  inTransaction?: (trx: Transaction<Database>) => Promise<void>;
}

const MAX_ATTEMPTS = 20;

async function mergeInto(trx: Transaction<Database>, e: string, target: string, others: string[]): Promise<void> {
  await sql`
    WITH ids AS (UPDATE call_ids SET call_id = ${target} WHERE enterprise_number = ${e} AND call_id = ANY(${others}::text[]) RETURNING 1),
         entries AS (UPDATE call_trace_entries SET call_id = ${target} WHERE enterprise_number = ${e} AND call_id = ANY(${others}::text[]) RETURNING 1),
         gone AS (DELETE FROM call_traces WHERE enterprise_number = ${e} AND call_id = ANY(${others}::text[]) RETURNING 1)
    SELECT (SELECT count(*) FROM ids) AS ids, (SELECT count(*) FROM entries) AS entries, (SELECT count(*) FROM gone) AS gone
  `.execute(trx);
}

async function write(trx: Transaction<Database>, input: EntryInput, callId: string, fold: CallFold, facts: CallFacts | null): Promise<void> {
  const f = input.facts;
  const r = rowOf(fold, facts);
  const time = (d: Date | null) => d?.toISOString() ?? null;
  await sql`SELECT call_log_write(
    ${input.enterprise}, ${callId}, ${input.entryKey}, ${input.kind}, ${input.at.toISOString()}::timestamptz, ${input.seq}::bigint,
    ${input.eventType}, ${input.chatId}, ${JSON.stringify(input.data)}::jsonb, ${input.nodes}::text[],
    ${f.map((x) => x.key)}::text[], ${f.map((x) => x.role)}::text[], ${f.map((x) => new Date(x.at).toISOString())}::timestamptz[],
    ${f.map((x) => x.node)}::text[], ${f.map((x) => ('span' in x ? x.span ?? null : null))}::text[],
    ${r.phones}::text[], ${r.extensions}::text[], ${r.direction}, ${r.answered}, ${r.status},
    ${time(r.start_time)}::timestamptz, ${time(r.end_time)}::timestamptz, ${r.duration_sec}::integer, ${r.unique_ids}::text[],
    ${r.bridge_unique_ids}::text[], ${r.event_count}::integer, ${r.call_types}::smallint, ${r.hangup_seen}, ${r.busy_seen})
  `.execute(trx);
}

/** The entry as an event of the record (event entries only). */
function eventOf(input: EntryInput): CorrelationEvent {
  const body = (input.data as { body?: unknown }).body;
  return {
    key: input.entryKey, type: input.eventType ?? '', at: input.at.getTime(), ...(input.seq !== null ? { seq: input.seq } : {}),
    body: body && typeof body === 'object' ? (body as Record<string, unknown>) : {},
  };
}

async function factsOf(trx: Transaction<Database>, enterprise: string, callIds: string[], extra: CorrelationEvent | null, defaultZone: string) {
  const record = await readCallRecord(trx, enterprise, callIds);
  const timeZone = record.timeZone ?? defaultZone;
  const events = extra ? [...record.events.filter((e) => e.key !== extra.key), extra] : record.events;
  return { facts: callFacts(events, { timeZone }), timeZone };
}

async function applyOnce(trx: Transaction<Database>, input: EntryInput, defaultZone: string): Promise<Omit<ApplyResult, 'attempts'>> {
  const isEvent = input.kind === 'event';
  const begun = await beginEntry(trx, input);
  if (begun.duplicateOf !== null) {
    // A redelivery still runs the fan-out, which needs the call's facts as they are now.
    const read = isEvent ? await factsOf(trx, input.enterprise, [begun.duplicateOf], null, defaultZone) : { facts: null, timeZone: defaultZone };
    return { outcome: 'duplicate', callId: begun.duplicateOf, merged: [], ...read };
  }
  const ids = [...begun.calls.keys()].sort();
  const target = ids[0] ?? input.nodes[0]!;
  const others = ids.slice(1);
  let fold = EMPTY_FOLD;
  for (const id of ids) {
    const row = begun.calls.get(id);
    if (row) fold = combine(fold, foldFromRow(row));
  }
  const read = isEvent ? await factsOf(trx, input.enterprise, ids, eventOf(input), defaultZone) : { facts: null, timeZone: defaultZone };
  if (others.length > 0) await mergeInto(trx, input.enterprise, target, others);
  await write(trx, input, target, combine(fold, input.fold), read.facts);
  return { outcome: ids.length === 0 ? 'created' : others.length > 0 ? 'merged' : 'appended', callId: target, merged: others, ...read };
}

export async function applyEntry(db: Kysely<Database>, partitions: CallLogPartitions, input: EntryInput, opts: ApplyOptions = {}): Promise<ApplyResult> {
  await partitions.ensure(db, input.enterprise);
  const defaultZone = opts.defaultTimeZone ?? DEFAULT_TIME_ZONE;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await db.transaction().execute(async (trx) => {
        if (opts.inTransaction) await opts.inTransaction(trx);
        return applyOnce(trx, input, defaultZone);
      });
      return { ...result, attempts: attempt };
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS) throw err;
      if (isMissingPartition(err)) {
        partitions.forget(input.enterprise);
        await partitions.ensure(db, input.enterprise);
      } else if (isRetryable(err)) {
        // A short random pause so two racers do not collide again in step.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      } else {
        throw err;
      }
    }
  }
}
