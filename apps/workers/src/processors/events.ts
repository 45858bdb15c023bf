/**
 * The `events` queue: store the event, then fan it out (registry.ts: the call log applied in this same
 * job, fanOut/callLogInline.ts; then fanOut/index.ts). What follows
 * from the call's record — call history, Telegram, CRM dispatch — runs after the call log applied the
 * event (fanOut/afterEntry.ts). Each step must be idempotent by event key, since a retried job runs
 * them again.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { queues, type EventJob } from '@callpipe/queues';
import type { JobContext } from './context.js';
import { recordEvent } from './recordEvent.js';

export type FanOutStep = (job: EventJob, ctx: JobContext) => Promise<void>;

export function eventsProcessor(fanOut: readonly FanOutStep[]) {
  return async (job: Pick<Job<EventJob>, 'data'>, ctx: JobContext): Promise<{ inserted: boolean }> => {
    if (!queues.events.validate(job.data)) {
      const err = queues.events.validate.errors?.[0];
      throw new UnrecoverableError(`invalid events payload: ${err?.instancePath || '(root)'} ${err?.message ?? ''}`);
    }
    const inserted = await recordEvent(ctx.db, job.data);
    if (!inserted) ctx.log.info('event already stored (redelivery or resend); fan-out re-run is idempotent');
    for (const step of fanOut) await step(job.data, ctx);
    return { inserted };
  };
}
