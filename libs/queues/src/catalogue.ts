/**
 * Every queue: its name, payload schema, default job options and default concurrency. Producers and
 * processors import from here; no other file spells a queue name.
 */
import { Ajv, type JSONSchemaType, type ValidateFunction } from 'ajv';
import type { DefaultJobOptions } from 'bullmq';
import { eventJobSchema, type EventJob } from './payloads/eventJob.js';
import { callLogJobSchema, type CallLogJob } from './payloads/callLogJob.js';
import { telegramJobSchema, type TelegramJob } from './payloads/telegramJob.js';

export interface QueueDef<P> {
  readonly name: string;
  readonly description: string;
  readonly validate: ValidateFunction<P>;
  readonly jobOptions: DefaultJobOptions;
}

/** Payload type of each queue, by queue key. */
export interface QueuePayloads {
  events: EventJob;
  callLog: CallLogJob;
  telegram: TelegramJob;
}
export type QueueKey = keyof QueuePayloads;

const ajv = new Ajv({ strict: true });
function def<P>(name: string, description: string, schema: JSONSchemaType<P>, jobOptions: DefaultJobOptions): QueueDef<P> {
  return { name, description, validate: ajv.compile(schema), jobOptions };
}

export const queues: { readonly [K in QueueKey]: QueueDef<QueuePayloads[K]> } = {
  events: def('events', 'every Asterisk event ingest accepted; written to call_events and fanned out', eventJobSchema, {
    // Enough attempts to ride out a PostgreSQL restart (backoff sums to ~17 min).
    attempts: 12,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: { count: 2000, age: 3600 },
    removeOnFail: { count: 20000, age: 7 * 24 * 3600 },
  }),
  callLog: def('call-log', 'one entry of a call\'s timeline (an event, a Telegram send, a lookup, a CRM attempt) merged into call_traces', callLogJobSchema, {
    // Same ride-out as events; completed jobs kept an hour so a redelivered event finds its jobId.
    attempts: 12,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: { count: 5000, age: 3600 },
    removeOnFail: { count: 20000, age: 7 * 24 * 3600 },
  }),
  telegram: def('telegram', 'bring one recipient\'s Telegram chat in line with one call record (one live message per call)', telegramJobSchema, {
    // A sync finding its (chat, call) lock held is retried shortly; many attempts ride out a 429 storm.
    attempts: 200,
    backoff: { type: 'fixed', delay: 300 },
    removeOnComplete: { count: 5000, age: 3600 },
    removeOnFail: { count: 20000, age: 7 * 24 * 3600 },
  }),
};

export const QUEUE_KEYS = Object.keys(queues) as QueueKey[];
