/**
 * Which processor serves which queue. The type makes a missing queue a compile error; the boot
 * check makes a processor for an unknown queue (or a missing one) a start-up error.
 */
import type { Job } from 'bullmq';
import { QUEUE_KEYS, type QueueKey, type QueuePayloads } from '@callpipe/queues';
import type { JobContext } from './context.js';
import { eventsProcessor, type FanOutStep } from './events.js';
import { callLogProcessor, type CallLogOptions } from './callLog.js';
import { eventPacketsProcessor } from './eventPackets.js';
import { storeWithCallLog } from '../fanOut/callLogInline.js';
import { EventBatcher, type EventBatcherOptions } from '../fanOut/eventBatcher.js';
import { afterEntrySteps } from '../fanOut/afterEntry.js';
import { CallLogPartitions } from '../callLog/partitions.js';
import { DEFAULT_TIME_ZONE } from '@callpipe/call-facts';
import { telegramProcessor } from './telegram.js';
import type { TelegramSyncDeps } from '../telegram/deps.js';
import { crmDispatchProcessor, crmDispatchUnavailable } from './crmDispatch.js';
import type { CrmDispatchDeps } from '../crm/deps.js';
import { telegramUpdatesProcessor, telegramUpdatesUnavailable } from './telegramUpdates.js';
import type { CallBackDeps } from '../telegram/callBack/handlePress.js';

export type Processor<K extends QueueKey> = (job: Job<QueuePayloads[K]>, ctx: JobContext) => Promise<unknown>;
export type ProcessorTable = { [K in QueueKey]: Processor<K> };

export interface ProcessorOptions {
  fanOut: readonly FanOutStep[];
  telegram: TelegramSyncDeps;
  callLog?: CallLogOptions;
  crm?: CrmDispatchDeps;
  callBack?: CallBackDeps;
  /**
   * Events, and the call-log queue's other entries, applied in batches (fanOut/eventBatcher.ts) when
   * maxBatch > 1 (EVENTS_BATCH_MAX, 200 by default); one by one when it is 1.
   */
  eventBatch?: Pick<EventBatcherOptions, 'maxBatch' | 'maxInFlight' | 'db' | 'entryLingerMs' | 'eventLingerMs'>;
  /** The call log's partition cache, shared with whoever warms it (main.ts). */
  partitions?: CallLogPartitions;
}

export function buildProcessors(opts: ProcessorOptions): ProcessorTable {
  const partitions = opts.partitions ?? new CallLogPartitions();
  const callLog = callLogProcessor(partitions, opts.callLog);
  // An event's call-log entry is applied by its events job, with its call_events row (fanOut/callLogInline.ts).
  const single = storeWithCallLog(callLog);
  const batcher = (opts.eventBatch?.maxBatch ?? 1) <= 1 ? undefined : new EventBatcher({
    partitions, single, singleEntry: (job, ctx) => callLog({ data: job }, ctx), ...(opts.eventBatch ?? {}),
    defaultTimeZone: opts.callLog?.defaultTimeZone ?? DEFAULT_TIME_ZONE, steps: opts.callLog?.steps ?? afterEntrySteps(),
  });
  const events = eventsProcessor(opts.fanOut, batcher?.store ?? single);
  return {
    events,
    eventPackets: eventPacketsProcessor(events),
    callLog: batcher ? callLogProcessor(partitions, { ...opts.callLog, batch: batcher.applyEntry }) : callLog,
    // A send's timeline entry goes in the batches too (telegram/deps.ts applyLogEntry).
    telegram: telegramProcessor(batcher ? { ...opts.telegram, applyLogEntry: (entry, ctx) => batcher.applyEntry(entry, ctx) } : opts.telegram),
    crmDispatch: opts.crm ? crmDispatchProcessor(opts.crm) : crmDispatchUnavailable,
    telegramUpdates: opts.callBack ? telegramUpdatesProcessor(opts.callBack) : telegramUpdatesUnavailable,
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
