/**
 * Applies timeline entries to the call log. Per entry, ONE round trip: call_log_apply
 * (db/src/migrations/0006_call_log_apply.ts)
 *
 * 1. locks its enterprise's key shared (a batch holds it exclusively: lockKeys.ts), then the entry's nodes and ring-link keys (advisory, sorted), so entries that could join or open
 *    the same call are serialized and a redelivered entry is seen as stored;
 * 2. finds the calls it joins (ids, the ring link) and locks their rows in call_id order — one merged
 *    away meanwhile raises 40001 and the transaction starts over;
 * 3. none: opens a call named by the entry's first id; one: appends; several: merges them into the
 *    smallest call id (ids and entries repointed, the others' rows deleted);
 * 4. stores the entry, its ids and ring facts, and returns the call's events.
 *
 * Then, once per call per transaction (a batch touches many: applyBatch.ts), the summary: the call
 * facts (libs/callFacts) and the fold (ids, phones, counts) of the returned events, written by
 * call_log_summaries in one more round trip. Both are pure functions of the record's events, so the
 * record does not depend on arrival order. Locks are always taken nodes first, then call rows, each in
 * one order, so writers of one enterprise never wait in a cycle; the enterprise's own key keeps a batch
 * apart from everything else (lockKeys.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { callFacts, DEFAULT_TIME_ZONE, type CallFacts } from '@callpipe/call-facts';
import { combine, contribution, EMPTY_FOLD, RING_WINDOW, type CorrelationEvent } from '@callpipe/correlation';
import type { Database } from '@callpipe/db';
import type { EntryInput } from './entryInput.js';
import { rowOf } from './foldRow.js';
import { enterpriseLockKey, lockKey, sortedKeys } from './lockKeys.js';
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
  /**
   * Event entries: the call's facts without this delivery's events (in a batch, without every event of
   * the batch that reached the call), duplicates too: what the call showed before them. A redelivered
   * event thus still shows what it changes, and its steps still run. null for other entries.
   */
  factsBefore: CallFacts | null;
  /** The zone the facts read the PBX's times in (the enterprise's, else the default). */
  timeZone: string;
}

/** What call_log_apply did with one entry, before the summary. */
export interface AppliedEntry {
  outcome: ApplyOutcome;
  callId: string;
  merged: string[];
  /** The call's events after the entry (event entries only; else empty). */
  events: CorrelationEvent[];
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
const ms = (n: number) => `${n} milliseconds`;

/** An event of the call, as the call-log functions return it (all null on a row that carries none). */
interface EventColumns {
  entry_key: string | null;
  event_type: string | null;
  at: Date | null;
  seq: string | null;
  body: unknown;
}

interface ApplyRow extends EventColumns {
  call_id: string;
  outcome: ApplyOutcome;
  merged: string[];
  tz: string | null;
}

/** The advisory keys an entry holds: its nodes' and its ring-link keys', sorted. */
function nodeLockKeys(input: EntryInput): string[] {
  return sortedKeys([...input.nodes, ...input.facts.map((x) => x.key)].map((k) => lockKey(input.enterprise, 'node', k)));
}

/** One entry, inside a transaction the caller runs: one round trip. */
export async function applyInTransaction(trx: Transaction<Database>, input: EntryInput, defaultZone: string): Promise<AppliedEntry> {
  const e = input.enterprise;
  const f = input.facts;
  const locks = nodeLockKeys(input);
  const { rows } = await sql<ApplyRow>`
    SELECT * FROM call_log_apply(${e}, ${input.entryKey}, ${enterpriseLockKey(e)}::bigint, ${locks}::bigint[], ${input.nodes}::text[],
      ${f.map((x) => x.key)}::text[], ${f.map((x) => x.role)}::text[], ${f.map((x) => new Date(x.at).toISOString())}::timestamptz[],
      ${f.map((x) => x.node)}::text[], ${ms(RING_WINDOW.beforeMs)}::interval, ${ms(RING_WINDOW.afterMs)}::interval,
      ${input.kind}, ${input.at.toISOString()}::timestamptz, ${input.seq}::bigint, ${input.eventType}, ${input.chatId},
      ${JSON.stringify(input.data)}::jsonb)
  `.execute(trx);
  const first = rows[0]!;
  const events = rows.filter((r) => r.entry_key !== null).map(eventOf);
  return { outcome: first.outcome, callId: first.call_id, merged: first.merged, events, timeZone: first.tz ?? defaultZone };
}

/** What call_log_apply_one did with an entry of a batch. */
export type AppliedOne = Omit<AppliedEntry, 'events' | 'timeZone'>;

interface BatchRow extends EventColumns {
  idx: number | null;
  enterprise: string;
  call_id: string;
  outcome: ApplyOutcome | null;
  merged: string[] | null;
  tz: string | null;
}

function eventOf(r: EventColumns): CorrelationEvent {
  return {
    key: r.entry_key!, type: r.event_type ?? '', at: new Date(r.at!).getTime(),
    ...(r.seq !== null ? { seq: Number(r.seq) } : {}),
    body: r.body && typeof r.body === 'object' ? (r.body as Record<string, unknown>) : {},
  };
}

/**
 * Many entries, in order, inside a transaction that holds every one of their enterprises' keys
 * exclusively (applyBatch.ts): ONE round trip however many (call_log_apply_batch, migrations 0007 and
 * 0008). Returns what each entry did, and the events of every call
 * the entries left standing, keyed "enterprise|call id".
 */
export async function applyEntriesInTransaction(
  trx: Transaction<Database>, inputs: readonly EntryInput[], defaultZone: string,
): Promise<{ applied: AppliedOne[]; calls: Map<string, CallToSummarize> }> {
  const applied: AppliedOne[] = [];
  const calls = new Map<string, CallToSummarize>();
  if (inputs.length === 0) return { applied, calls };
  // No lock keys: the batch holds its enterprises' keys exclusively (call_log_apply_held, migration 0008).
  const entries = inputs.map((x) => ({
    enterprise: x.enterprise, entry_key: x.entryKey,
    nodes: x.nodes, f_keys: x.facts.map((f) => f.key), f_roles: x.facts.map((f) => f.role),
    f_ats: x.facts.map((f) => new Date(f.at).toISOString()), f_nodes: x.facts.map((f) => f.node),
    kind: x.kind, at: x.at.toISOString(), seq: x.seq, event_type: x.eventType, chat_id: x.chatId, data: x.data,
  }));
  const { rows } = await sql<BatchRow>`
    SELECT * FROM call_log_apply_batch(${JSON.stringify(entries)}::jsonb,
      ${ms(RING_WINDOW.beforeMs)}::interval, ${ms(RING_WINDOW.afterMs)}::interval)
  `.execute(trx);
  for (const r of rows) {
    if (r.idx !== null) {
      applied[r.idx] = { outcome: r.outcome!, callId: r.call_id, merged: r.merged ?? [] };
      continue;
    }
    const k = `${r.enterprise}|${r.call_id}`;
    let call = calls.get(k);
    if (!call) {
      call = { enterprise: r.enterprise, callId: r.call_id, events: [], timeZone: r.tz ?? defaultZone };
      calls.set(k, call);
    }
    (call.events as CorrelationEvent[]).push(eventOf(r));
  }
  if (applied.length !== inputs.length || applied.some((a) => a === undefined)) {
    throw new Error(`call_log_apply_batch answered ${applied.length} of ${inputs.length} entries`);
  }
  return { applied, calls };
}

/** A call's summary to write, from its events. */
export interface CallToSummarize {
  enterprise: string;
  callId: string;
  events: readonly CorrelationEvent[];
  timeZone: string;
}

/** The facts of a call's events (null while nothing tells a call). */
export function factsOfEvents(events: readonly CorrelationEvent[], timeZone: string): CallFacts | null {
  return callFacts([...events], { timeZone });
}

/** Writes the summaries of these calls (one round trip); returns each call's facts, in order. */
export async function writeSummaries(trx: Transaction<Database>, calls: readonly CallToSummarize[]): Promise<(CallFacts | null)[]> {
  const facts = calls.map((c) => factsOfEvents(c.events, c.timeZone));
  if (calls.length === 0) return facts;
  const time = (d: Date | null) => d?.toISOString() ?? null;
  const rows = calls.map((c, i) => {
    const r = rowOf(c.events.map(contribution).reduce(combine, EMPTY_FOLD), facts[i]!);
    return {
      enterprise: c.enterprise, call_id: c.callId, phones: r.phones, extensions: r.extensions, direction: r.direction,
      answered: r.answered, status: r.status, start_time: time(r.start_time), end_time: time(r.end_time), duration_sec: r.duration_sec,
      unique_ids: r.unique_ids, bridge_unique_ids: r.bridge_unique_ids, event_count: r.event_count, call_types: r.call_types,
      hangup_seen: r.hangup_seen, busy_seen: r.busy_seen,
    };
  });
  await sql`SELECT call_log_summaries(${JSON.stringify(rows)}::jsonb)`.execute(trx);
  return facts;
}

/** Runs a call-log transaction again on a race or a partition dropped meanwhile; other errors are thrown. */
export async function withCallLogRetries<T>(
  db: Kysely<Database>, partitions: CallLogPartitions, enterprises: readonly string[], run: () => Promise<T>, maxAttempts = MAX_ATTEMPTS,
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { value: await run(), attempts: attempt };
    } catch (err) {
      if (attempt >= maxAttempts) throw err;
      if (isMissingPartition(err)) {
        for (const e of enterprises) partitions.forget(e);
        for (const e of enterprises) await partitions.ensure(db, e);
      } else if (isRetryable(err)) {
        // A short random pause so two racers do not collide again in step.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      } else {
        throw err;
      }
    }
  }
}

/** One entry in a transaction of its own: two round trips for an event (entry, summary), one for every other kind. */
export async function applyEntry(db: Kysely<Database>, partitions: CallLogPartitions, input: EntryInput, opts: ApplyOptions = {}): Promise<ApplyResult> {
  await partitions.ensure(db, input.enterprise);
  const defaultZone = opts.defaultTimeZone ?? DEFAULT_TIME_ZONE;
  const { value, attempts } = await withCallLogRetries(db, partitions, [input.enterprise], () => db.transaction().execute(async (trx) => {
    if (opts.inTransaction) await opts.inTransaction(trx);
    const applied = await applyInTransaction(trx, input, defaultZone);
    if (input.kind !== 'event') return { ...applied, facts: null, factsBefore: null };
    const call = { enterprise: input.enterprise, callId: applied.callId, events: applied.events, timeZone: applied.timeZone };
    // A duplicate changed nothing: its facts are read, its call's summary left as it is.
    const [facts] = applied.outcome === 'duplicate' ? [factsOfEvents(call.events, call.timeZone)] : await writeSummaries(trx, [call]);
    const factsBefore = factsOfEvents(call.events.filter((e) => e.key !== input.entryKey), call.timeZone);
    return { ...applied, facts: facts ?? null, factsBefore };
  }));
  return {
    outcome: value.outcome, callId: value.callId, merged: value.merged, facts: value.facts, factsBefore: value.factsBefore, timeZone: value.timeZone, attempts,
  };
}
