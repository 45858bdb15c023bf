/**
 * Every queue: its name, payload schema, default job options, concurrency and the ids its log lines
 * carry. Producers and processors import from here; no other file spells a queue name. Adding a queue:
 * a payload file, an entry here and its processor in apps/workers/src/processors/registry.ts.
 */
import { Ajv, type JSONSchemaType, type ValidateFunction } from 'ajv';
import type { BackoffStrategy, DefaultJobOptions } from 'bullmq';
import { primaryId } from '@callpipe/events';
import { eventJobSchema, type EventJob } from './payloads/eventJob.js';
import { eventPacketJobSchema, type EventPacketJob } from './payloads/eventPacketJob.js';
import { callLogJobSchema, type CallLogJob } from './payloads/callLogJob.js';
import { telegramJobSchema, type TelegramJob } from './payloads/telegramJob.js';
import { crmDispatchJobSchema, type CrmDispatchJob } from './payloads/crmDispatchJob.js';
import { telegramUpdateJobSchema, type TelegramUpdateJob } from './payloads/telegramUpdateJob.js';
import { CRM_BACKOFF_TYPE, crmBackoffStrategy } from './crmBackoff.js';

/** Ids every log line of a job carries (besides queue, jobId, attempt). */
export interface JobLogIds {
  enterprise?: string;
  callId?: string;
}

export interface QueueDef<P> {
  readonly name: string;
  readonly description: string;
  readonly validate: ValidateFunction<P>;
  readonly jobOptions: DefaultJobOptions;
  /**
   * Jobs processed at once per workers process: a fixed number, or the name of a numeric key of the
   * config (libs/config/src/spec.ts, e.g. 'eventsConcurrency') whose variable sets it.
   */
  readonly concurrency: number | string;
  /** Reads the job's ids for its log lines; data is unvalidated, so it must not assume its shape. */
  readonly logIds: (data: Partial<P> | undefined) => JobLogIds;
  /** The queue's own backoff type (jobOptions.backoff.type not built in), given to its Worker. */
  readonly backoffStrategy?: BackoffStrategy;
  /** How often a job may stall (its worker died mid-job) before it fails for good; BullMQ's default is 1. */
  readonly maxStalledCount?: number;
}

interface DefOptions<P> {
  jobOptions: DefaultJobOptions;
  concurrency: number | string;
  logIds: (data: Partial<P> | undefined) => JobLogIds;
  backoffStrategy?: BackoffStrategy;
  maxStalledCount?: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Payload type of each queue, by queue key. */
export interface QueuePayloads {
  events: EventJob;
  eventPackets: EventPacketJob;
  callLog: CallLogJob;
  telegram: TelegramJob;
  crmDispatch: CrmDispatchJob;
  telegramUpdates: TelegramUpdateJob;
}
export type QueueKey = keyof QueuePayloads;

const ajv = new Ajv({ strict: true });
function def<P>(name: string, description: string, schema: JSONSchemaType<P>, o: DefOptions<P>): QueueDef<P> {
  return { name, description, validate: ajv.compile(schema), ...o };
}

/** The events' and the event packets' options: an acked event is retried the same way however it was queued. */
const EVENT_JOB_OPTIONS: DefaultJobOptions = {
  // Enough attempts to ride out a PostgreSQL restart (backoff sums to ~17 min).
  attempts: 12,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { count: 2000, age: 3600 },
  removeOnFail: { count: 20000, age: 7 * 24 * 3600 },
};

export const queues: { readonly [K in QueueKey]: QueueDef<QueuePayloads[K]> } = {
  events: def('events', 'every Asterisk event ingest accepted; written to call_events and fanned out', eventJobSchema, {
    jobOptions: EVENT_JOB_OPTIONS,
    concurrency: 'eventsConcurrency',
    logIds: (d) => ({ enterprise: str(d?.enterprise), callId: d?.body && typeof d.body === 'object' ? primaryId(d.body) : undefined }),
    // An acked event must not fail for good because workers were killed or crashed while holding it
    // (a job is idempotent by event key); a job that kills its worker every time still ends, visibly.
    maxStalledCount: 10,
  }),
  eventPackets: def('event-packets', 'the events one ingest write took together (two or more); each is handled as an events job would be, and one that fails becomes an events job of its own', eventPacketJobSchema, {
    // A packet fails only when its events' failures are all outages, or its failed events could not be split off.
    jobOptions: EVENT_JOB_OPTIONS,
    concurrency: 'eventPacketsConcurrency',
    // Its events may be of several enterprises and calls: each event's lines carry its own.
    logIds: () => ({}),
    // As events: killed workers must not fail acked events for good.
    maxStalledCount: 10,
  }),
  callLog: def('call-log', 'one entry of a call\'s timeline (an event, a Telegram send, a lookup, a CRM attempt) merged into call_traces', callLogJobSchema, {
    jobOptions: {
      // Same ride-out as events; completed jobs kept an hour so a redelivered event finds its jobId.
      attempts: 12,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { count: 5000, age: 3600 },
      removeOnFail: { count: 20000, age: 7 * 24 * 3600 },
    },
    concurrency: 'callLogConcurrency',
    // An event entry names its call by the event body, every other entry by callRef.
    logIds: (d) => {
      const body = d && 'body' in d ? d.body : undefined;
      const callRef = d && 'callRef' in d ? str(d.callRef) : undefined;
      return { enterprise: str(d?.enterprise), callId: body && typeof body === 'object' ? primaryId(body) : callRef };
    },
  }),
  telegram: def('telegram', 'bring a call\'s recipients\' Telegram chats in line with its call record (one live message per call and chat)', telegramJobSchema, {
    jobOptions: {
      // A sync finding a (chat, call) lock held is retried shortly; 200 attempts ride out a 429 storm.
      attempts: 200,
      backoff: { type: 'fixed', delay: 300 },
      removeOnComplete: { count: 5000, age: 3600 },
      removeOnFail: { count: 20000, age: 7 * 24 * 3600 },
    },
    concurrency: 'telegramConcurrency',
    logIds: (d) => ({ enterprise: str(d?.enterprise), callId: str(d?.callId) }),
  }),
  crmDispatch: def('crm-dispatch', 'one action (popup, close, history) of one CRM integration for one call', crmDispatchJobSchema, {
    jobOptions: {
      // Exponential with jitter up to 10 min a try (crmBackoff.ts): 150 attempts span about a day; breaker holds spend none.
      // Completed jobs are kept a day so a resent event finds its job id; failed ones two weeks for Bull Board.
      attempts: 150,
      backoff: { type: CRM_BACKOFF_TYPE, delay: 2000 },
      removeOnComplete: { count: 50000, age: 24 * 3600 },
      removeOnFail: { count: 50000, age: 14 * 24 * 3600 },
    },
    concurrency: 'crmDispatchConcurrency',
    logIds: (d) => ({ enterprise: str(d?.enterprise), callId: str(d?.callRef) }),
    backoffStrategy: crmBackoffStrategy,
  }),
  telegramUpdates: def('telegram-updates', 'one Telegram button press (the missed call\'s call-back) from the webhook or the long poll', telegramUpdateJobSchema, {
    jobOptions: {
      // A press is claimed in PostgreSQL before a phone rings, so a retry never calls twice; few tries: the presser waits.
      attempts: 4,
      backoff: { type: 'exponential', delay: 500 },
      // Kept a day so a redelivered update (same job id) is not handled again.
      removeOnComplete: { count: 5000, age: 24 * 3600 },
      removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
    },
    // Each job may wait on the PBX (the manager picking up) for up to AMI_ORIGINATE_TIMEOUT_MS.
    concurrency: 16,
    // The button's data names the call: cb1:<enterprise>:<callRef>.
    logIds: (d) => {
      const [, enterprise, callRef] = (str(d?.callbackQuery?.data) ?? '').split(':');
      return { enterprise: enterprise || undefined, callId: callRef || undefined };
    },
  }),
};

export const QUEUE_KEYS = Object.keys(queues) as QueueKey[];
