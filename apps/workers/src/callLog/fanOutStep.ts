/**
 * An event's entry as a `call-log` job of its own, with a job id derived from the event key (a
 * redelivered event does not queue a second job while the first is kept; after that the call log
 * itself stores the event once). Production no longer queues it: the events job applies its entry in
 * the same transaction (../fanOut/callLogInline.ts); tests that drive the call-log queue use this.
 */
import type { FanOutStep } from '../processors/events.js';

export function callLogJobId(eventKey: string): string {
  return `event-${eventKey}`;
}

export const callLogStep: FanOutStep = async (job, ctx) => {
  await ctx.producers.add('callLog', job.eventType, {
    kind: 'event', enterprise: job.enterprise, eventKey: job.eventKey, eventType: job.eventType,
    body: job.body, receivedAt: job.receivedAt, seq: job.seq, source: job.source,
  }, { jobId: callLogJobId(job.eventKey) });
};
