/**
 * From a POST /dispatch/call-event body to the `events` queue payload ingest would have made of
 * the same host event (the route makes the job with libs/queues newEventJob). Pure.
 */
import { validateEvent, type AsteriskEvent, type FieldError } from '@callpipe/events';
import type { DispatchCallEventBody } from '@callpipe/config-cache';

// bridge_create / bridge_destroy carry only a BridgeUniqueid; uniqueId is not theirs to add.
const NO_UNIQUE_ID = new Set(['bridge_create', 'bridge_destroy']);

/**
 * The host event: `raw`, with Token, UniqueId and RecordUrl filled from the envelope where raw
 * lacks them. Where raw has them they must agree with the envelope; a failure names the field.
 */
export function callEventOf(body: DispatchCallEventBody): { ok: true; event: AsteriskEvent } | { ok: false; error: FieldError } {
  const raw = body.raw;
  if (raw.Token !== undefined && raw.Token !== body.token) {
    return { ok: false, error: { field: 'raw.Token', message: 'raw.Token must equal token' } };
  }
  if (raw.UniqueId !== undefined && String(raw.UniqueId) !== body.uniqueId) {
    return { ok: false, error: { field: 'raw.UniqueId', message: 'raw.UniqueId must equal uniqueId' } };
  }
  const event: Record<string, unknown> = { ...raw, Token: body.token };
  if (raw.UniqueId === undefined && !NO_UNIQUE_ID.has(body.event_type)) event.UniqueId = body.uniqueId;
  if (body.record_url && raw.RecordUrl === undefined) event.RecordUrl = body.record_url;
  const checked = validateEvent(body.event_type, event);
  if (!checked.ok) return { ok: false, error: { field: `raw.${checked.error.field}`, message: `raw.${checked.error.message}` } };
  return { ok: true, event: checked.event };
}
