/**
 * The `event-packets` queue: every event of the packet handled as its own events job would be (the
 * same processor, with log lines bound to its own enterprise and call), all at once, so they join the
 * same call-log batches. A redelivered packet runs every event again: each step is idempotent by
 * event key. When some events fail:
 * - every failure a dependency outage (PostgreSQL or Redis away): the packet fails and retries whole,
 *   as one job, with the events queue's backoff (the events that did succeed run again, harmlessly);
 * - otherwise each failed event becomes an events job of its own, which retries — or fails for good,
 *   in the failed set — like every other, and the packet completes. Its id is the packet's and the
 *   event's place, so a packet redelivered after the split adds nothing twice.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { isPgConnectionError } from '@callpipe/db';
import { isRedisConnectionError, packetShapeError, queues, type EventJob, type EventPacketJob } from '@callpipe/queues';
import type { JobContext } from './context.js';

export type EventHandler = (job: Pick<Job<EventJob>, 'data'>, ctx: JobContext) => Promise<{ inserted: boolean }>;

export interface PacketResult {
  events: number;
  inserted: number;
  /** Events that failed here and were queued as events jobs of their own. */
  split: number;
}

const isOutage = (err: unknown): boolean => isPgConnectionError(err) || isRedisConnectionError(err);

export function eventPacketsProcessor(handle: EventHandler) {
  return async (job: Pick<Job<EventPacketJob>, 'data' | 'id'>, ctx: JobContext): Promise<PacketResult> => {
    const shape = packetShapeError(job.data);
    if (shape) throw new UnrecoverableError(`invalid event-packets payload: ${shape}`);
    const events = job.data.events;
    // logIds reads unvalidated data safely: a malformed event still runs, and its processor says why it refuses it.
    const settled = await Promise.allSettled(events.map((data) => handle({ data }, { ...ctx, log: ctx.log.child(queues.events.logIds(data)) })));
    const failed: { index: number; err: unknown }[] = [];
    let inserted = 0;
    settled.forEach((s, index) => {
      if (s.status === 'rejected') failed.push({ index, err: s.reason });
      else if (s.value.inserted) inserted += 1;
    });
    if (failed.length === 0) return { events: events.length, inserted, split: 0 };
    if (failed.every((f) => isOutage(f.err))) throw failed[0]!.err;
    // Straight to the queue, not through the producers' schema check: an event no check passes must
    // land in the events queue and fail there for good, visibly, not fail its packet on every retry.
    await ctx.producers.queue('events').addBulk(failed.map(({ index }) => {
      const data = events[index]!;
      return { name: typeof data.eventType === 'string' ? data.eventType : 'event', data, opts: { jobId: `${String(job.id)}-${index}` } };
    }));
    ctx.log.warn({ events: events.length, split: failed.length, err: failed[0]!.err },
      'events of a packet failed; each is an events job of its own now and retries there');
    return { events: events.length, inserted, split: failed.length };
  };
}
