/**
 * Which processor serves which queue. The type makes a missing queue a compile error; the boot
 * check makes a processor for an unknown queue (or a missing one) a start-up error.
 */
import type { Job } from 'bullmq';
import { QUEUE_KEYS, type QueueKey, type QueuePayloads } from '@callpipe/queues';
import type { JobContext } from './context.js';
import { eventsProcessor, type FanOutStep } from './events.js';
import { callLogProcessor } from './callLog.js';
import { telegramProcessor } from './telegram.js';
import type { TelegramSyncDeps } from '../telegram/deps.js';

export type Processor<K extends QueueKey> = (job: Job<QueuePayloads[K]>, ctx: JobContext) => Promise<unknown>;
export type ProcessorTable = { [K in QueueKey]: Processor<K> };

export function buildProcessors(opts: { fanOut: readonly FanOutStep[]; telegram: TelegramSyncDeps }): ProcessorTable {
  return {
    events: eventsProcessor(opts.fanOut),
    callLog: callLogProcessor(),
    telegram: telegramProcessor(opts.telegram),
  };
}

/** Every queue of the catalogue has exactly one processor, and no processor serves an unknown queue. */
export function checkProcessors(table: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of QUEUE_KEYS) if (typeof table[key] !== 'function') problems.push(`queue "${key}" has no processor`);
  for (const key of Object.keys(table)) {
    if (!(QUEUE_KEYS as string[]).includes(key)) problems.push(`processor "${key}" serves no queue of the catalogue`);
  }
  return problems;
}
