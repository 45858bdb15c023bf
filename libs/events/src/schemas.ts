/**
 * One JSON schema per event type. Required fields are what the pipeline cannot work without;
 * everything else is typed when present and extra fields are kept (hosts' scripts differ).
 */
import type { EventType } from './eventTypes.js';

type JsonSchema = Record<string, unknown>;

const id = { type: 'string', minLength: 1, maxLength: 128 };
const text = { type: 'string', maxLength: 1024 };
const fields: Record<string, JsonSchema> = {
  Token: { type: 'string', minLength: 1, maxLength: 128 },
  UniqueId: id,
  BridgeUniqueid: id,
  Linkedid: id,
  Phone: { type: 'string', maxLength: 64 },
  CallType: { type: 'integer', enum: [0, 1, 2] },
  CallStatus: { type: 'integer', minimum: 0, maximum: 99 },
  Extensions: { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 64 } },
  Trunk: text,
  CallerIDNum: text,
  CallerIDName: text,
  ConnectedLineNum: text,
  ConnectedLineName: text,
  Channel: text,
  StartTime: text,
  DateReceived: text,
  EndTime: text,
  ExternalInitiated: { type: 'boolean' },
  BridgeType: text,
  BridgeTechnology: text,
  BridgeNumChannels: { type: 'integer', minimum: 0 },
  RecordUrl: { type: 'string', maxLength: 2048 },
};

const required: Record<EventType, string[]> = {
  start: ['Token', 'UniqueId', 'Phone', 'CallType'],
  dial: ['Token', 'UniqueId', 'Phone', 'CallType'],
  bridge: ['Token', 'UniqueId', 'BridgeUniqueid'],
  hangup: ['Token', 'UniqueId', 'CallStatus', 'CallType'],
  bridge_create: ['Token', 'BridgeUniqueid'],
  bridge_leave: ['Token', 'UniqueId', 'BridgeUniqueid'],
  bridge_destroy: ['Token', 'BridgeUniqueid'],
  new_callerid: ['Token', 'UniqueId'],
};

export function eventSchema(type: EventType): JsonSchema {
  return {
    $id: `asterisk/${type}`,
    type: 'object',
    required: required[type],
    properties: fields,
    additionalProperties: true,
  };
}

export function requiredFields(type: EventType): readonly string[] {
  return required[type];
}
