/**
 * The events job applies its event to the call log itself, in the same worker slot and in the same
 * transaction as its call_events row, instead of queueing a `call-log` job for it: one job and one
 * transaction per event, not two of each (a BullMQ job costs ~40 Redis commands and a round of worker
 * bookkeeping; issue 12's profile). Same guarantees: the event key makes a redelivered event a
 * duplicate in both tables, and the after-entry steps run on every delivery. The `call-log` queue
 * still carries every other entry (Telegram sends, lookups, CRM attempts).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { CallLogJob, EventJob } from '@callpipe/queues';
import type { ApplyOptions } from '../callLog/applyEntry.js';
import type { JobContext } from '../processors/context.js';
import type { StoreEvent } from '../processors/events.js';
import { recordEvent } from '../processors/recordEvent.js';

/** The call-log entry of a stored event (what callLog/fanOutStep.ts queues). */
export function eventEntryOf(job: EventJob): CallLogJob {
  return {
    kind: 'event', enterprise: job.enterprise, eventKey: job.eventKey, eventType: job.eventType,
    body: job.body, receivedAt: job.receivedAt, seq: job.seq, source: job.source,
  };
}

type ApplyCallLog = (job: Pick<Job<CallLogJob>, 'data'>, ctx: JobContext, extra: Pick<ApplyOptions, 'inTransaction'>) => Promise<unknown>;

export function storeWithCallLog(apply: ApplyCallLog): StoreEvent {
  return async (job, ctx) => {
    let inserted = false;
    try {
      await apply({ data: eventEntryOf(job) }, ctx, { inTransaction: async (trx) => { inserted = await recordEvent(trx, job); } });
    } catch (err) {
      // An entry the call log refuses for good (no id to file it under): the acked event is still kept
      // in call_events, and the job fails for good where Bull Board shows it.
      if (err instanceof UnrecoverableError) await recordEvent(ctx.db, job);
      throw err;
    }
    return inserted;
  };
}
