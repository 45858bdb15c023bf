/**
 * Applies many events to call_events and the call log in ONE transaction of six round trips whatever
 * its size: BEGIN, the enterprises' keys, one multi-row call_events INSERT, every entry in order
 * (call_log_apply_batch, migrations 0007 and 0008: each entry without the node and row locks a single
 * entry takes, which the batch's exclusive enterprise keys make needless; each touched call's
 * events read once), one summary write for every call it changed, COMMIT. Issue 12's profile: round
 * trips, not work, are what an event cost; and with a distant database a batch of round trips per
 * entry made an enterprise's events wait behind each other.
 *
 * Locks: a batch first TRIES its enterprises' keys exclusively (lockKeys.ts) and never waits for them:
 * entries of an enterprise another transaction holds come back 'deferred', and the caller submits them
 * again. Every other writer of an enterprise's call log takes that key before anything else (an entry
 * applied alone shared, applyEntry.ts; retention exclusively, maintenance.ts), so nothing else opens,
 * merges or deletes the calls of a batch's enterprises while it runs, and no two writers wait in a cycle.
 */
import { sql, type Kysely } from 'kysely';
import { UnrecoverableError } from 'bullmq';
import { DEFAULT_TIME_ZONE, type CallFacts } from '@callpipe/call-facts';
import type { Database } from '@callpipe/db';
import type { CallLogJob, EventJob } from '@callpipe/queues';
import { eventEntryOf } from '../fanOut/callLogInline.js';
import { recordEvents } from '../processors/recordEvent.js';
import {
  applyEntriesInTransaction, factsOfEvents, withCallLogRetries, writeSummaries, type AppliedOne, type ApplyResult,
} from './applyEntry.js';
import { entryInput, EntryInputError, type EntryInput } from './entryInput.js';
import { enterpriseLockKey } from './lockKeys.js';
import { PartitionNameError, type CallLogPartitions } from './partitions.js';

/**
 * What a batch applies: an accepted event (its call_events row, its entry, then the after-entry
 * steps), or another timeline entry from the call-log queue (a Telegram send, a CRM attempt), which
 * only joins its call's timeline.
 */
export type BatchItem = { kind: 'event'; job: EventJob } | { kind: 'entry'; job: CallLogJob };

export type BatchOutcome =
  | { kind: 'applied'; inserted: boolean; result: Omit<ApplyResult, 'attempts'> }
  /** Stored in call_events, refused by the call log for good (no id to file it under, a bad enterprise number). */
  | { kind: 'refused'; inserted: boolean; error: UnrecoverableError }
  /** Its enterprise was held by another transaction: nothing written; submit it again. */
  | { kind: 'deferred' };

const MAX_ATTEMPTS = 5;

function inputOf(item: BatchItem): EntryInput | UnrecoverableError {
  try {
    return entryInput(item.kind === 'event' ? eventEntryOf(item.job) : item.job);
  } catch (err) {
    if (err instanceof EntryInputError) return new UnrecoverableError(`call-log entry refused: ${err.message}`);
    throw err;
  }
}

/**
 * Outcomes in the order of `items`; an applied item's result names its call as it is at the end of the
 * batch (a later entry of the batch may have merged it), and an event's carries that call's facts. Throws when the
 * transaction cannot be run (PostgreSQL away, an error no retry fixes): nothing of the batch is then
 * stored, and the caller decides per event.
 */
export async function applyEventBatch(
  db: Kysely<Database>, partitions: CallLogPartitions, items: readonly BatchItem[], o: { defaultTimeZone?: string } = {},
): Promise<BatchOutcome[]> {
  const defaultZone = o.defaultTimeZone ?? DEFAULT_TIME_ZONE;
  const inputs = items.map(inputOf);
  const eventJob = (i: number): EventJob | undefined => { const it = items[i]!; return it.kind === 'event' ? it.job : undefined; };
  const enterprises = [...new Set(inputs.flatMap((x) => (x instanceof UnrecoverableError ? [] : [x.enterprise])))];
  for (const e of enterprises) {
    try {
      await partitions.ensure(db, e);
    } catch (err) {
      if (!(err instanceof PartitionNameError)) throw err;
      inputs.forEach((x, i) => { if (!(x instanceof UnrecoverableError) && x.enterprise === e) inputs[i] = new UnrecoverableError(err.message); });
    }
  }
  const wanted = [...new Set(inputs.flatMap((x) => (x instanceof UnrecoverableError ? [] : [x.enterprise])))];
  const { value } = await withCallLogRetries(db, partitions, wanted, () => db.transaction().execute(async (trx) => {
    const lockKeys = wanted.map(enterpriseLockKey);
    const { rows } = await sql<{ k: string; got: boolean }>`
      SELECT k::text AS k, pg_try_advisory_xact_lock(k) AS got FROM unnest(${lockKeys}::bigint[]) AS k
    `.execute(trx);
    const gotKeys = new Set(rows.filter((r) => r.got).map((r) => r.k));
    const held = new Set(wanted.filter((_, n) => gotKeys.has(lockKeys[n]!)));
    const deferred = inputs.map((x) => !(x instanceof UnrecoverableError) && !held.has(x.enterprise));
    const events = items.flatMap((_, i) => { const j = eventJob(i); return j && !deferred[i] ? [j] : []; });
    const inserted = await recordEvents(trx, events);
    const firstOf = new Map<string, number>();
    items.forEach((_, i) => { const j = eventJob(i); if (j && !deferred[i] && !firstOf.has(j.eventKey)) firstOf.set(j.eventKey, i); });
    const isNew = (i: number) => { const j = eventJob(i); return j !== undefined && firstOf.get(j.eventKey) === i && inserted.has(j.eventKey); };

    const entries = inputs.flatMap((x, i) => (deferred[i] || x instanceof UnrecoverableError ? [] : [{ i, x }]));
    const { applied: appliedIn, calls: called } = await applyEntriesInTransaction(trx, entries.map((e) => e.x), defaultZone);
    const applied: (AppliedOne | null)[] = items.map(() => null);
    entries.forEach((e, k) => { applied[e.i] = appliedIn[k]!; });

    // Merged-away calls point on to the call that took them. A call's summary changed if an event
    // reached it that was not a duplicate, or it took another; other kinds leave the summary alone.
    const key = (e: string, id: string) => `${e}|${id}`;
    const movedTo = new Map<string, string>();
    for (const { i, x } of entries) for (const m of applied[i]!.merged) movedTo.set(key(x.enterprise, m), applied[i]!.callId);
    const finalCallId = (e: string, id: string): string => {
      let at = id;
      for (let next = movedTo.get(key(e, at)); next !== undefined; next = movedTo.get(key(e, at))) at = next;
      return at;
    };
    const changed = new Set(entries.flatMap(({ i, x }) => {
      const a = applied[i]!;
      return a.outcome === 'merged' || (x.kind === 'event' && a.outcome !== 'duplicate') ? [key(x.enterprise, finalCallId(x.enterprise, a.callId))] : [];
    }));
    // One summary per call the batch changed; a call only duplicates reached keeps its row as it is.
    const toWrite = [...called].filter(([k]) => changed.has(k));
    const written = await writeSummaries(trx, toWrite.map(([, c]) => c));
    const factsOf = new Map<string, CallFacts | null>(toWrite.map(([k], n) => [k, written[n]!]));
    for (const [k, c] of called) if (!changed.has(k)) factsOf.set(k, factsOfEvents(c.events, c.timeZone));
    // What each call showed before this batch's events (duplicates included): the steps act on the difference.
    const batchKeys = new Map<string, Set<string>>();
    for (const { i, x } of entries) {
      if (x.kind !== 'event') continue;
      const k = key(x.enterprise, finalCallId(x.enterprise, applied[i]!.callId));
      (batchKeys.get(k) ?? batchKeys.set(k, new Set()).get(k)!).add(x.entryKey);
    }
    const factsBefore = new Map<string, CallFacts | null>();
    for (const [k, keys] of batchKeys) {
      const c = called.get(k);
      if (c) factsBefore.set(k, factsOfEvents(c.events.filter((e) => !keys.has(e.key)), c.timeZone));
    }
    return items.map((_, i): BatchOutcome => {
      const x = inputs[i]!;
      const a = applied[i];
      if (deferred[i]) return { kind: 'deferred' };
      if (x instanceof UnrecoverableError) return { kind: 'refused', inserted: isNew(i), error: x };
      if (!a) throw new Error(`batch entry ${i} was neither deferred, refused nor applied`);
      const callId = finalCallId(x.enterprise, a.callId);
      // Calls only other kinds reached are not read back: their facts stay null.
      const call = called.get(key(x.enterprise, callId));
      return {
        kind: 'applied', inserted: isNew(i),
        result: {
          outcome: a.outcome, callId, merged: a.merged,
          facts: x.kind === 'event' ? factsOf.get(key(x.enterprise, callId)) ?? null : null,
          factsBefore: x.kind === 'event' ? factsBefore.get(key(x.enterprise, callId)) ?? null : null,
          timeZone: call?.timeZone ?? defaultZone,
        },
      };
    });
  }), MAX_ATTEMPTS);
  return value;
}
