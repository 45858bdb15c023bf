/** How an event job is added to BullMQ: named by event type, deduplicated by content for a window. */
import type { EventJob } from '@callpipe/queues';
import type { JobsOptions } from 'bullmq';

export function bulkEntry(job: EventJob, dedupWindowMs: number, dedupPrefix = ''): { name: string; data: EventJob; opts: JobsOptions } {
  return { name: job.eventType, data: job, opts: { deduplication: { id: dedupPrefix + job.eventKey, ttl: dedupWindowMs } } };
}

/**
 * A spool replay deduplicates in a space of its own: an event's own key may have been claimed by a
 * packet whose add never landed (packetWrite.ts), and a replay must not be left out for it. A replay
 * of an event that did land is a duplicate the call_events key makes harmless.
 */
export const SPOOL_REPLAY_DEDUP_PREFIX = 'spool-';
