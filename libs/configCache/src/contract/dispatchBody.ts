/**
 * The body of POST /dispatch/call-event, as the old call services sent it to port 8020:
 * { token, uniqueId, event_type, raw, record_url? }. `raw` is the host's event body.
 */
import { Ajv, type ErrorObject, type JSONSchemaType } from 'ajv';
import { EVENT_TYPES, type EventType, type FieldError } from '@callpipe/events';

export interface DispatchCallEventBody {
  /** The host Token (enterprises.name2). */
  token: string;
  uniqueId: string;
  event_type: EventType;
  raw: Record<string, unknown>;
  record_url?: string;
}

export const dispatchBodySchema: JSONSchemaType<DispatchCallEventBody> = {
  type: 'object',
  required: ['token', 'uniqueId', 'event_type', 'raw'],
  additionalProperties: true,
  properties: {
    token: { type: 'string', minLength: 1, maxLength: 200 },
    uniqueId: { type: 'string', minLength: 1, maxLength: 200 },
    event_type: { type: 'string', enum: [...EVENT_TYPES] },
    raw: { type: 'object', required: [], additionalProperties: true },
    record_url: { type: 'string', nullable: true, maxLength: 2000 },
  },
};

const validate = new Ajv({ allErrors: false, strict: true }).compile(dispatchBodySchema);

function fieldError(err: ErrorObject | undefined): FieldError {
  if (err?.keyword === 'required') {
    const field = String((err.params as { missingProperty: string }).missingProperty);
    return { field, message: `${field} is required` };
  }
  const field = err?.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)';
  if (err?.keyword === 'enum') return { field, message: `${field} must be one of ${EVENT_TYPES.join(', ')}` };
  return { field, message: `${field} ${err?.message ?? 'is invalid'}` };
}

export function validateDispatchBody(body: unknown): { ok: true; body: DispatchCallEventBody } | { ok: false; error: FieldError } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: { field: '(body)', message: 'body must be a JSON object' } };
  return validate(body) ? { ok: true, body } : { ok: false, error: fieldError(validate.errors?.[0]) };
}
