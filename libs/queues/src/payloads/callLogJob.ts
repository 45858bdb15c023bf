/**
 * The `call-log` queue payload: one entry of a call's timeline. Events come from the events
 * fan-out (and from outside callers of POST /log/event); Telegram sends, HTTP lookups, SQL lookups
 * and CRM attempts come from the processes that made them and name the call by any of its ids
 * (`callRef`: a UniqueId or BridgeUniqueid). Every entry is applied once: events by their content
 * key, the others by `entryKey` (a hash of the entry when the producer gives none).
 */
import type { JSONSchemaType } from 'ajv';

export type CallLogKind = 'event' | 'telegram' | 'http' | 'sql' | 'integration';
export const CALL_LOG_KINDS: readonly CallLogKind[] = ['event', 'telegram', 'http', 'sql', 'integration'];

export interface CallLogEventEntry {
  kind: 'event';
  enterprise: string;
  /** The event's content key (the ingest's eventKey): its identity in the timeline. */
  eventKey: string;
  eventType: string;
  body: Record<string, unknown>;
  /** ISO time the event was received: the event's place in the timeline and in the correlation. */
  receivedAt: string;
  seq: number;
  /** live | recovery (from ingest) or log-api (posted to /log/event by an outside caller). */
  source: string;
  /** The recipient an outside caller logged the event for (the old per-recipient logging). */
  chatId?: string;
}

interface RefEntry {
  enterprise: string;
  /** Any UniqueId or BridgeUniqueid of the call; an id not seen yet opens the call, and its events join it later. */
  callRef: string;
  /** ISO time of the operation. */
  at: string;
  /** Identity for idempotency; default a hash of the entry. */
  entryKey?: string;
}

export interface CallLogTelegramEntry extends RefEntry {
  kind: 'telegram';
  chatId: string;
  /** send | edit | delete (or another Bot API verb). */
  action: string;
  /** The call event the message was about (dial, bridge, hangup…). */
  messageType?: string;
  messageId?: number;
  /** A send's: the message it replaced, deleted just before (one entry for both). */
  replaced?: number;
  text?: string;
  error?: string;
}

export interface CallLogHttpEntry extends RefEntry {
  kind: 'http';
  method: string;
  url: string;
  requestData?: unknown;
  responseData?: unknown;
  statusCode?: number;
  durationMs?: number;
}

export interface CallLogSqlEntry extends RefEntry {
  kind: 'sql';
  query: string;
  parameters?: unknown[];
  result?: unknown;
  durationMs?: number;
}

export interface CallLogIntegrationEntry extends RefEntry {
  kind: 'integration';
  /** retailcrm, moysklad, uon, bitrix24… */
  integration: string;
  /** What was asked of it: call_event, calls_upload, customer_lookup… */
  operation: string;
  /** success | error | timeout | skipped… */
  status: string;
  httpStatus?: number;
  request?: unknown;
  response?: unknown;
  error?: string;
  durationMs?: number;
  attempt?: number;
}

export type CallLogJob = CallLogEventEntry | CallLogTelegramEntry | CallLogHttpEntry | CallLogSqlEntry | CallLogIntegrationEntry;

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const enterprise = { type: 'string', minLength: 1, maxLength: 10, pattern: '^[A-Za-z0-9_]+$' };
const anyJson = {};
const ref = { enterprise, callRef: text(128), at: text(64), entryKey: text(128) };
const optionalNumber = { type: 'number' };

function entry(kind: Exclude<CallLogKind, 'event'>, required: string[], properties: Record<string, unknown>) {
  return {
    type: 'object',
    required: ['kind', 'enterprise', 'callRef', 'at', ...required],
    additionalProperties: false,
    properties: { kind: { const: kind }, ...ref, ...properties },
  };
}

export const callLogJobSchema = {
  type: 'object',
  required: ['kind'],
  oneOf: [
    {
      type: 'object',
      required: ['kind', 'enterprise', 'eventKey', 'eventType', 'body', 'receivedAt', 'seq', 'source'],
      additionalProperties: false,
      properties: {
        kind: { const: 'event' }, enterprise, eventKey: text(128), eventType: text(64),
        body: { type: 'object' }, receivedAt: text(64), seq: { type: 'number' }, source: text(32), chatId: text(64),
      },
    },
    entry('telegram', ['chatId', 'action'], {
      chatId: text(64), action: text(32), messageType: text(64), messageId: optionalNumber, replaced: optionalNumber, text: { type: 'string', maxLength: 8192 }, error: { type: 'string', maxLength: 2048 },
    }),
    entry('http', ['method', 'url'], {
      method: text(16), url: text(4096), requestData: anyJson, responseData: anyJson, statusCode: optionalNumber, durationMs: optionalNumber,
    }),
    entry('sql', ['query'], {
      query: text(16384), parameters: { type: 'array' }, result: anyJson, durationMs: optionalNumber,
    }),
    entry('integration', ['integration', 'operation', 'status'], {
      integration: text(64), operation: text(64), status: text(32), httpStatus: optionalNumber, request: anyJson,
      response: anyJson, error: { type: 'string', maxLength: 4096 }, durationMs: optionalNumber, attempt: optionalNumber,
    }),
  ],
} as unknown as JSONSchemaType<CallLogJob>;
