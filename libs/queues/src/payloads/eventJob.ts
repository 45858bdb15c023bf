/** The `events` queue payload: one Asterisk event as ingest accepted it. */
import type { JSONSchemaType } from 'ajv';
import { EVENT_SOURCES, EVENT_TYPES, eventKey, type AsteriskEvent, type EventSource, type EventType } from '@callpipe/events';
import { nextSeq } from '../sequence.js';

export interface EventJob {
  eventType: EventType;
  /** Enterprise number resolved from the host Token at ingest ("0367"). */
  enterprise: string;
  body: AsteriskEvent;
  source: EventSource;
  /** ISO time ingest received the event. */
  receivedAt: string;
  /** Monotonic per ingest process (microseconds since epoch), to order events received together. */
  seq: number;
  /** Content hash of type + body; the idempotency key of every effect of this event. */
  eventKey: string;
}

export const eventJobSchema: JSONSchemaType<EventJob> = {
  type: 'object',
  required: ['eventType', 'enterprise', 'body', 'source', 'receivedAt', 'seq', 'eventKey'],
  additionalProperties: false,
  properties: {
    eventType: { type: 'string', enum: [...EVENT_TYPES] },
    enterprise: { type: 'string', minLength: 1, maxLength: 10 },
    // The body was validated against its event's own schema at ingest; here only its shape. The cast:
    // JSONSchemaType cannot express AsteriskEvent's open index signature.
    body: { type: 'object', required: ['Token'], properties: { Token: { type: 'string' } }, additionalProperties: true } as unknown as JSONSchemaType<AsteriskEvent>,
    source: { type: 'string', enum: [...EVENT_SOURCES] },
    receivedAt: { type: 'string', minLength: 1 },
    seq: { type: 'number' },
    eventKey: { type: 'string', minLength: 8, maxLength: 128 },
  },
};

/** The one way an accepted event becomes a job (ingest, and the gateway's /dispatch/call-event). */
export function newEventJob(eventType: EventType, body: AsteriskEvent, enterprise: string, source: EventSource, receivedAt = new Date()): EventJob {
  return { eventType, enterprise, body, source, receivedAt: receivedAt.toISOString(), seq: nextSeq(), eventKey: eventKey(eventType, body) };
}
