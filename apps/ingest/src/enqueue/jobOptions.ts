/** How an event job is added to BullMQ: named by event type, deduplicated by content for a window. */
import type { EventJob } from '@callpipe/queues';
import type { JobsOptions } from 'bullmq';

export function bulkEntry(job: EventJob, dedupWindowMs: number): { name: string; data: EventJob; opts: JobsOptions } {
  return { name: job.eventType, data: job, opts: { deduplication: { id: job.eventKey, ttl: dedupWindowMs } } };
}
