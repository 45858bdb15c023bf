/**
 * The old Call Logger bodies (`/log/*`, snake_case) as call-log jobs. An event is filed like one from
 * the ingest: its ids in the body, its content key its identity (with the recipient, when one is
 * named, since the old services logged an event once per recipient). Pure.
 */
import { eventKey, type EventType } from '@callpipe/events';
import type {
  CallLogEventEntry, CallLogHttpEntry, CallLogIntegrationEntry, CallLogJob, CallLogSqlEntry, CallLogTelegramEntry, LogBodies, LogRoute,
} from '@callpipe/queues';

/** Drops the fields the caller did not send (the job schema has no room for undefined). */
const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const BRIDGE_ONLY = new Set(['bridge_create', 'bridge_destroy']);

/** ISO time of the body's timestamp, else of arrival. */
function timeOf(timestamp: string | undefined, now: Date): string {
  return timestamp ? new Date(Date.parse(timestamp)).toISOString() : now.toISOString();
}

export function logBodyToJob<R extends LogRoute>(route: R, input: LogBodies[R], now: Date, seq: number): CallLogJob {
  const enterprise = input.enterprise_number;
  const at = timeOf(input.timestamp, now);
  switch (route) {
    case 'event': {
      const b = input as LogBodies['event'];
      const body: Record<string, unknown> = { ...b.event_data };
      const idField = BRIDGE_ONLY.has(b.event_type) ? 'BridgeUniqueid' : 'UniqueId';
      body[idField] ??= b.unique_id;
      if (b.bridge_unique_id) body.BridgeUniqueid ??= b.bridge_unique_id;
      if (b.phone_number) body.Phone ??= b.phone_number;
      const chatId = b.chat_id === undefined ? undefined : String(b.chat_id);
      const key = eventKey(b.event_type as EventType, chatId === undefined ? body : { ...body, _chat_id: chatId });
      return compact<CallLogEventEntry>({ kind: 'event', enterprise, eventKey: key, eventType: b.event_type, body, receivedAt: at, seq, source: 'log-api', chatId });
    }
    case 'telegram': {
      const b = input as LogBodies['telegram'];
      return compact<CallLogTelegramEntry>({
        kind: 'telegram', enterprise, callRef: b.unique_id, at, chatId: String(b.chat_id), action: b.action,
        messageType: b.message_type, messageId: b.message_id, text: b.message_text, error: b.error_message,
      });
    }
    case 'http': {
      const b = input as LogBodies['http'];
      return compact<CallLogHttpEntry>({
        kind: 'http', enterprise, callRef: b.unique_id, at, method: b.method, url: b.url, requestData: b.request_data,
        responseData: b.response_data, statusCode: b.status_code, durationMs: b.duration_ms,
      });
    }
    case 'sql': {
      const b = input as LogBodies['sql'];
      return compact<CallLogSqlEntry>({ kind: 'sql', enterprise, callRef: b.unique_id, at, query: b.query, parameters: b.parameters, result: b.result, durationMs: b.duration_ms });
    }
    default: {
      const b = input as LogBodies['integration'];
      return compact<CallLogIntegrationEntry>({
        kind: 'integration', enterprise, callRef: b.unique_id, at, integration: b.integration, operation: b.request_type,
        status: b.status, httpStatus: b.status_code, request: b.request_data, response: b.response_data,
        error: b.error_message, durationMs: b.duration_ms, attempt: b.attempt,
      });
    }
  }
}
