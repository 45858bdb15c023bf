/**
 * The `event-packets` queue payload: the events one ingest write took together (DurableEnqueue, more
 * than one event at a time). One job instead of one per event: a BullMQ job costs ~40 Redis commands
 * to add and process, whatever it holds. Each event keeps its own key and its own fate in the workers
 * (an event that fails is split into an `events` job of its own).
 */
import type { JSONSchemaType } from 'ajv';
import type { EventJob } from './eventJob.js';

export interface EventPacketJob {
  events: EventJob[];
}

/** Most events one packet holds (ingest writes at most INGEST_BATCH_MAX at a time, itself ≤ this). */
export const EVENT_PACKET_MAX = 10_000;

export const eventPacketJobSchema: JSONSchemaType<EventPacketJob> = {
  type: 'object',
  required: ['events'],
  additionalProperties: false,
  properties: {
    // Each event is checked on its own by the events processor: one malformed event fails alone, not
    // its packet. The cast: the items' full schema is the events queue's (eventJob.ts).
    events: { type: 'array', minItems: 1, maxItems: EVENT_PACKET_MAX, items: { type: 'object', required: [] } as unknown as JSONSchemaType<EventJob> },
  },
};
