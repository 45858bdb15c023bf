/**
 * The `events` queue: store the event — in production together with its call-log entry, in one
 * transaction (registry.ts, fanOut/callLogInline.ts) — then fan it out (fanOut/index.ts). What follows
 * from the call's record — call history, Telegram, CRM dispatch — runs after the call log applied the
 * event (fanOut/afterEntry.ts). Each step must be idempotent by event key, since a retried job runs
 * them again.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { queues, type EventJob } from '@callpipe/queues';
import type { JobContext } from './context.js';
import { recordEvent } from './recordEvent.js';

export type FanOutStep = (job: EventJob, ctx: JobContext) => Promise<void>;
/** Stores the event; true when this delivery inserted its call_events row. */
export type StoreEvent = (job: EventJob, ctx: JobContext) => Promise<boolean>;

/** The row alone, in a transaction of its own. */
export const storeOnly: StoreEvent = (job, ctx) => recordEvent(ctx.db, job);

export function eventsProcessor(fanOut: readonly FanOutStep[], store: StoreEvent = storeOnly) {
  return async (job: Pick<Job<EventJob>, 'data'>, ctx: JobContext): Promise<{ inserted: boolean }> => {
    if (!queues.events.validate(job.data)) {
      const err = queues.events.validate.errors?.[0];
      throw new UnrecoverableError(`invalid events payload: ${err?.instancePath || '(root)'} ${err?.message ?? ''}`);
    }
    const inserted = await store(job.data, ctx);
    if (!inserted) ctx.log.info('event already stored (redelivery or resend); fan-out re-run is idempotent');
    for (const step of fanOut) await step(job.data, ctx);
    return { inserted };
  };
}
