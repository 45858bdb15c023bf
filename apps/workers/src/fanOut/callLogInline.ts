/**
 * The events job applies its event to the call log itself, in the same worker slot, instead of
 * queueing a `call-log` job for it: one job per event, not two (a BullMQ job costs ~40 Redis commands
 * and a round of worker bookkeeping; issue 12's profile). Same guarantees: the entry's key makes a
 * redelivered event a duplicate, and the after-entry steps run on every delivery. The `call-log`
 * queue still carries every other entry (Telegram sends, lookups, CRM attempts).
 */
import type { Job } from 'bullmq';
import type { CallLogJob, EventJob } from '@callpipe/queues';
import type { JobContext } from '../processors/context.js';
import type { FanOutStep } from '../processors/events.js';

/** The call-log entry of a stored event (what callLog/fanOutStep.ts used to queue). */
export function eventEntryOf(job: EventJob): CallLogJob {
  return {
    kind: 'event', enterprise: job.enterprise, eventKey: job.eventKey, eventType: job.eventType,
    body: job.body, receivedAt: job.receivedAt, seq: job.seq, source: job.source,
  };
}

export function callLogInline(apply: (job: Pick<Job<CallLogJob>, 'data'>, ctx: JobContext) => Promise<unknown>): FanOutStep {
  return async (job, ctx) => {
    await apply({ data: eventEntryOf(job) }, ctx);
  };
}
