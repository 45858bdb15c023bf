/**
 * Applies many events to call_events and the call log in ONE transaction of six round trips whatever
 * its size: BEGIN, the enterprises' keys, one multi-row call_events INSERT, every entry in order
 * (call_log_apply_batch, migration 0007: each as applyEntry.ts applies one, and each touched call's
 * events read once), one summary write for every call it changed, COMMIT. Issue 12's profile: round
 * trips, not work, are what an event cost; and with a distant database a batch of round trips per
 * entry made an enterprise's events wait behind each other.
 *
 * Locks: a batch's entries take node locks and call rows one entry after another, in no global order,
 * so two batches (or a batch and a single entry) could wait on each other in a cycle. So a batch first
 * TRIES its enterprises' keys exclusively (lockKeys.ts) and never waits for them: entries of an
 * enterprise another transaction holds come back 'deferred', and the caller submits them again. Every
 * entry applied alone holds its enterprise's key shared before anything else (applyEntry.ts).
 */
import { sql, type Kysely } from 'kysely';
import { UnrecoverableError } from 'bullmq';
import { DEFAULT_TIME_ZONE, type CallFacts } from '@callpipe/call-facts';
import type { Database } from '@callpipe/db';
import type { EventJob } from '@callpipe/queues';
import { eventEntryOf } from '../fanOut/callLogInline.js';
import { recordEvents } from '../processors/recordEvent.js';
import {
  applyManyInTransaction, factsOfEvents, withCallLogRetries, writeSummaries, type AppliedOne, type ApplyResult,
} from './applyEntry.js';
import { entryInput, EntryInputError, type EntryInput } from './entryInput.js';
import { enterpriseLockKey } from './lockKeys.js';
import { PartitionNameError, type CallLogPartitions } from './partitions.js';

export type BatchOutcome =
  | { kind: 'applied'; inserted: boolean; result: Omit<ApplyResult, 'attempts'> }
  /** Stored in call_events, refused by the call log for good (no id to file it under, a bad enterprise number). */
  | { kind: 'refused'; inserted: boolean; error: UnrecoverableError }
  /** Its enterprise was held by another transaction: nothing written; submit it again. */
  | { kind: 'deferred' };

const MAX_ATTEMPTS = 5;

function inputOf(job: EventJob): EntryInput | UnrecoverableError {
  try {
    return entryInput(eventEntryOf(job));
  } catch (err) {
    if (err instanceof EntryInputError) return new UnrecoverableError(`call-log entry refused: ${err.message}`);
    throw err;
  }
}

/**
 * Outcomes in the order of `jobs`; an applied event's result names its call as it is at the end of the
 * batch (a later event of the batch may have merged it) with that call's facts. Throws when the
 * transaction cannot be run (PostgreSQL away, an error no retry fixes): nothing of the batch is then
 * stored, and the caller decides per event.
 */
export async function applyEventBatch(
  db: Kysely<Database>, partitions: CallLogPartitions, jobs: readonly EventJob[], o: { defaultTimeZone?: string } = {},
): Promise<BatchOutcome[]> {
  const defaultZone = o.defaultTimeZone ?? DEFAULT_TIME_ZONE;
  const inputs = jobs.map(inputOf);
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
    const { rows } = await sql<{ k: string; got: boolean }>`
      SELECT k::text AS k, pg_try_advisory_xact_lock(k) AS got FROM unnest(${wanted.map(enterpriseLockKey)}::bigint[]) AS k
    `.execute(trx);
    const gotKeys = new Set(rows.filter((r) => r.got).map((r) => r.k));
    const held = new Set(wanted.filter((e) => gotKeys.has(enterpriseLockKey(e))));
    const deferred = inputs.map((x) => !(x instanceof UnrecoverableError) && !held.has(x.enterprise));
    const inserted = await recordEvents(trx, jobs.filter((_, i) => !deferred[i]));
    const firstOf = new Map<string, number>();
    jobs.forEach((j, i) => { if (!deferred[i] && !firstOf.has(j.eventKey)) firstOf.set(j.eventKey, i); });
    const isNew = (i: number) => firstOf.get(jobs[i]!.eventKey) === i && inserted.has(jobs[i]!.eventKey);

    const entries = inputs.flatMap((x, i) => (deferred[i] || x instanceof UnrecoverableError ? [] : [{ i, x }]));
    const { applied: appliedIn, calls: called } = await applyManyInTransaction(trx, entries.map((e) => e.x), defaultZone);
    const applied: (AppliedOne | null)[] = jobs.map(() => null);
    entries.forEach((e, k) => { applied[e.i] = appliedIn[k]!; });

    // Merged-away calls point on to the call that took them; a call changed unless only duplicates reached it.
    const key = (e: string, id: string) => `${e}|${id}`;
    const movedTo = new Map<string, string>();
    const changedKeys = new Set<string>();
    for (const { i, x } of entries) {
      const a = applied[i]!;
      for (const m of a.merged) movedTo.set(key(x.enterprise, m), key(x.enterprise, a.callId));
      if (a.outcome !== 'duplicate') changedKeys.add(key(x.enterprise, a.callId));
    }
    const finalKey = (k: string): string => {
      let at = k;
      for (let next = movedTo.get(at); next !== undefined; next = movedTo.get(at)) at = next;
      return at;
    };
    const changedFinal = new Set([...changedKeys].map(finalKey));
    const calls = new Map([...called].map(([k, c]) => [k, { ...c, changed: changedFinal.has(k) }]));
    // One summary per call the batch changed; a call only duplicates reached keeps its row as it is.
    const all = [...calls.entries()];
    const toWrite = all.filter(([, c]) => c.changed);
    const written = await writeSummaries(trx, toWrite.map(([, c]) => c));
    const factsOf = new Map<string, CallFacts | null>(toWrite.map(([k], i) => [k, written[i]!]));
    for (const [k, c] of all) if (!c.changed) factsOf.set(k, factsOfEvents(c.events, c.timeZone));
    return jobs.map((_, i): BatchOutcome => {
      const x = inputs[i]!;
      const a = applied[i];
      if (deferred[i]) return { kind: 'deferred' };
      if (x instanceof UnrecoverableError) return { kind: 'refused', inserted: isNew(i), error: x };
      if (!a) throw new Error(`batch entry ${i} was neither deferred, refused nor applied`);
      const k = finalKey(key(x.enterprise, a.callId));
      const call = calls.get(k)!;
      return {
        kind: 'applied', inserted: isNew(i),
        result: { outcome: a.outcome, callId: call.callId, merged: a.merged, facts: factsOf.get(k) ?? null, timeZone: call.timeZone },
      };
    });
  }), MAX_ATTEMPTS);
  return value;
}
