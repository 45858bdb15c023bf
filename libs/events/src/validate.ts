/**
 * Validators for the eight event bodies, compiled once. Numbers and booleans sent as strings
 * are coerced in place (`CallType: "0"` becomes 0); a failure names the field. Depth and size are
 * bounded before the schema runs (./bodyShape.ts), and so is text PostgreSQL cannot store
 * (./storableText.ts).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { EVENT_TYPES, type AsteriskEvent, type EventType } from './eventTypes.js';
import { checkShape } from './bodyShape.js';
import { checkStorableText } from './storableText.js';
import { eventSchema } from './schemas.js';

export interface FieldError {
  field: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; event: AsteriskEvent }
  | { ok: false; error: FieldError };

const ajv = new Ajv({ coerceTypes: 'array', allErrors: false, strict: true, removeAdditional: false });
const validators = new Map<EventType, ValidateFunction>(
  EVENT_TYPES.map((t) => [t, ajv.compile(eventSchema(t))]),
);

function describe(err: ErrorObject): FieldError {
  if (err.keyword === 'required') {
    const field = String((err.params as { missingProperty: string }).missingProperty);
    return { field, message: `${field} is required` };
  }
  const field = err.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)';
  if (err.keyword === 'enum') {
    const allowed = (err.params as { allowedValues: unknown[] }).allowedValues;
    return { field, message: `${field} must be one of ${allowed.join(', ')}` };
  }
  return { field, message: `${field} ${err.message ?? 'is invalid'}` };
}

/** Validates (and coerces) a parsed body; the body object itself is the event on success. */
export function validateEvent(type: EventType, body: unknown): ValidationResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: { field: '(body)', message: 'body must be a JSON object' } };
  }
  const tooBig = checkShape(body);
  if (tooBig) return { ok: false, error: tooBig };
  const unstorable = checkStorableText(body);
  if (unstorable) return { ok: false, error: unstorable };
  const validate = validators.get(type)!;
  if (validate(body)) return { ok: true, event: body as AsteriskEvent };
  return { ok: false, error: describe(validate.errors![0]!) };
}
