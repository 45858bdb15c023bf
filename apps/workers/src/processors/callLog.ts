/**
 * The `call-log` queue: merge one timeline entry (an event, a Telegram send, a lookup, a CRM
 * attempt) into its call's record (../callLog, applyEntry.ts explains it); after an event entry, run
 * the after-entry steps (../fanOut/afterEntry.ts: call history, Telegram syncs) with the call's facts —
 * on every delivery, a duplicate too, since a retry after COMMIT must still reach them.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { queues, type CallLogJob } from '@callpipe/queues';
import { DEFAULT_TIME_ZONE } from '@callpipe/call-facts';
import { applyEntry, type ApplyOptions, type ApplyResult } from '../callLog/applyEntry.js';
import { entryInput, EntryInputError, type EntryInput } from '../callLog/entryInput.js';
import { CallLogPartitions, PartitionNameError } from '../callLog/partitions.js';
import { LocalLocks } from '../callLog/localLocks.js';
import { afterEntrySteps, type AfterEntryStep } from '../fanOut/afterEntry.js';
import type { JobContext } from './context.js';

export interface CallLogOptions {
  /** PBX_TIME_ZONE: the zone of enterprises whose enterprises.time_zone is empty. */
  defaultTimeZone?: string;
  steps?: readonly AfterEntryStep[];
  /**
   * Applies an entry of another kind than 'event' in a batch (../fanOut/eventBatcher.ts) instead of in
   * a transaction of its own; events keep the path below (an events job applies its own: callLogInline).
   */
  batch?: (job: CallLogJob, ctx: JobContext) => Promise<ApplyResult>;
}

export function callLogProcessor(partitions = new CallLogPartitions(), opts: CallLogOptions = {}) {
  const steps = opts.steps ?? afterEntrySteps();
  // Entries of one call queue here, not in the pool (../callLog/localLocks.ts).
  const locks = new LocalLocks();
  const defaultTimeZone = opts.defaultTimeZone ?? DEFAULT_TIME_ZONE;
  return async (job: Pick<Job<CallLogJob>, 'data'>, ctx: JobContext, extra: Pick<ApplyOptions, 'inTransaction'> = {}): Promise<ApplyResult> => {
    if (!queues.callLog.validate(job.data)) {
      const err = queues.callLog.validate.errors?.[0];
      throw new UnrecoverableError(`invalid call-log payload: ${err?.instancePath || '(root)'} ${err?.message ?? ''}`);
    }
    let input: EntryInput;
    try {
      input = entryInput(job.data);
    } catch (err) {
      if (err instanceof EntryInputError) throw new UnrecoverableError(`call-log entry refused: ${err.message}`);
      throw err;
    }
    if (opts.batch && input.kind !== 'event' && !extra.inTransaction) return opts.batch(job.data, ctx);
    // callId (the UniqueId the job names) is already bound by the worker host.
    const log = ctx.log.child({ entry: input.kind });
    try {
      const keys = [...input.nodes, ...input.facts.map((f) => f.key)].map((k) => `${input.enterprise}|${k}`);
      const result = await locks.run(keys, () => applyEntry(ctx.db, partitions, input, { defaultTimeZone, ...extra }));
      if (result.outcome === 'merged') log.info({ into: result.callId, merged: result.merged }, 'call records merged');
      else log.debug({ record: result.callId, outcome: result.outcome }, 'call-log entry applied');
      if (job.data.kind === 'event') {
        const call = {
          enterprise: job.data.enterprise, callId: result.callId, merged: result.merged, eventType: job.data.eventType, facts: result.facts,
          factsBefore: result.factsBefore, timeZone: result.timeZone,
        };
        for (const step of steps) await step(call, ctx);
      }
      return result;
    } catch (err) {
      // An enterprise number no partition can be named after: retrying cannot help.
      if (err instanceof PartitionNameError) throw new UnrecoverableError(err.message);
      throw err;
    }
  };
}
