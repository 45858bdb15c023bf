/**
 * The `call-log` queue: merge one timeline entry (an event, a Telegram send, a lookup, a CRM
 * attempt) into its call's record. The work is in ../callLog (applyEntry.ts explains it).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { queues, type CallLogJob } from '@callpipe/queues';
import { applyEntry, type ApplyResult } from '../callLog/applyEntry.js';
import { entryInput, EntryInputError, type EntryInput } from '../callLog/entryInput.js';
import { CallLogPartitions, PartitionNameError } from '../callLog/partitions.js';
import { enqueueSyncs } from '../telegram/fanOut.js';
import type { JobContext } from './context.js';

export function callLogProcessor(partitions = new CallLogPartitions()) {
  return async (job: Job<CallLogJob>, ctx: JobContext): Promise<ApplyResult> => {
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
    // callId (the UniqueId the job names) is already bound by the worker host.
    const log = ctx.log.child({ entry: input.kind });
    try {
      const result = await applyEntry(ctx.db, partitions, input);
      if (result.outcome === 'merged') log.info({ into: result.callId, merged: result.merged }, 'call records merged');
      else log.debug({ record: result.callId, outcome: result.outcome }, 'call-log entry applied');
      // Each applied event re-syncs every recipient's message of the call (issue 4).
      if (job.data.kind === 'event' && result.outcome !== 'duplicate') {
        await enqueueSyncs(ctx.db, ctx.producers, job.data.enterprise, result.callId, result.merged, job.data.eventType);
      }
      return result;
    } catch (err) {
      // An enterprise number no partition can be named after: retrying cannot help.
      if (err instanceof PartitionNameError) throw new UnrecoverableError(err.message);
      throw err;
    }
  };
}
