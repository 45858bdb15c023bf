/**
 * The call log's step of the events fan-out: one `call-log` job per stored event. Its job id is
 * derived from the event key, so a redelivered event does not queue a second job while the first
 * is kept; after that the call log itself stores the event once (its key is the entry's identity).
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
