/** Fills the queue-jobs gauge from Redis at scrape time (no polling between scrapes). */
import type { Queue } from 'bullmq';
import { metrics } from './metrics.js';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export interface QueueLike {
  name: string;
  getJobCounts: Queue['getJobCounts'];
}

export async function collectQueueDepths(queueList: readonly QueueLike[]): Promise<void> {
  await Promise.all(queueList.map(async (q) => {
    const counts = await q.getJobCounts(...STATES);
    for (const state of STATES) metrics.queueJobs.set({ queue: q.name, state }, counts[state] ?? 0);
  }));
}
