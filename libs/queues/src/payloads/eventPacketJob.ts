/**
 * The `event-packets` queue payload: the events one ingest write took together (DurableEnqueue, more
 * than one event at a time). One job instead of one per event: a BullMQ job costs ~40 Redis commands
 * to add and process, whatever it holds. Each event keeps its own key and its own fate in the workers
 * (an event that fails is split into an `events` job of its own).
 */
import type { JSONSchemaType } from 'ajv';
import { eventJobSchema, type EventJob } from './eventJob.js';

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
    // What a producer must add. The packets' processor checks only a packet's shape (packetShapeError)
    // and leaves each event to the events processor's check, so one malformed event fails alone.
    events: { type: 'array', minItems: 1, maxItems: EVENT_PACKET_MAX, items: eventJobSchema },
  },
};

/** Why a packet is not one (no events array, or an empty or oversized one), or null: its events are checked one by one. */
export function packetShapeError(data: Partial<EventPacketJob> | undefined): string | null {
  const events = data?.events;
  if (!Array.isArray(events)) return 'events must be an array';
  if (events.length < 1 || events.length > EVENT_PACKET_MAX) return `events must hold 1 to ${EVENT_PACKET_MAX} events, not ${events.length}`;
  return null;
}
