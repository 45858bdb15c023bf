/**
 * The bodies outside callers POST to the old Call Logger routes (`/log/event|http|sql|telegram|integration`),
 * in the old snake_case shape. Checked with ajv (numbers sent as strings are coerced); a failure names the field.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

export const LOG_ROUTES = ['event', 'http', 'sql', 'telegram', 'integration'] as const;
export type LogRoute = (typeof LOG_ROUTES)[number];

interface LogBodyBase {
  enterprise_number: string;
  /** Any UniqueId (or BridgeUniqueid) of the call. */
  unique_id: string;
  /** ISO time of what is logged; default the time the gateway received it. */
  timestamp?: string;
}

export interface LogEventBody extends LogBodyBase {
  event_type: string;
  event_data: Record<string, unknown>;
  chat_id?: number | string;
  phone_number?: string;
  bridge_unique_id?: string;
}

export interface LogHttpBody extends LogBodyBase {
  method: string;
  url: string;
  request_data?: unknown;
  response_data?: unknown;
  status_code?: number;
  duration_ms?: number;
}

export interface LogSqlBody extends LogBodyBase {
  query: string;
  parameters?: unknown[];
  result?: unknown;
  duration_ms?: number;
}

export interface LogTelegramBody extends LogBodyBase {
  chat_id: number | string;
  action: string;
  message_type?: string;
  message_id?: number;
  message_text?: string;
  error_message?: string;
}

export interface LogIntegrationBody extends LogBodyBase {
  integration: string;
  request_type: string;
  status: string;
  status_code?: number;
  request_data?: unknown;
  response_data?: unknown;
  error_message?: string;
  duration_ms?: number;
  attempt?: number;
}

export interface LogBodies {
  event: LogEventBody;
  http: LogHttpBody;
  sql: LogSqlBody;
  telegram: LogTelegramBody;
  integration: LogIntegrationBody;
}

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const number = { type: 'number', minimum: 0 };
const integer = { type: 'integer', minimum: 0 };
const chatId = { type: ['integer', 'string'], minLength: 1, maxLength: 64 };
const base = {
  enterprise_number: { type: 'string', minLength: 1, maxLength: 10, pattern: '^[A-Za-z0-9_]+$' },
  unique_id: text(128),
  timestamp: { type: 'string', format: 'date-time-ish', maxLength: 64 },
};

function body(required: string[], properties: Record<string, unknown>) {
  return {
    type: 'object',
    required: ['enterprise_number', 'unique_id', ...required],
    properties: { ...base, ...properties },
    // Old clients send extra fields; they are kept out of the entry, not refused.
    additionalProperties: true,
  };
}

export const logBodySchemas: Record<LogRoute, object> = {
  event: body(['event_type', 'event_data'], {
    event_type: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z_]+$' },
    event_data: { type: 'object' }, chat_id: chatId, phone_number: text(64), bridge_unique_id: text(128),
  }),
  http: body(['method', 'url'], {
    method: text(16), url: text(4096), request_data: {}, response_data: {}, status_code: integer, duration_ms: number,
  }),
  sql: body(['query'], { query: text(16384), parameters: { type: 'array' }, result: {}, duration_ms: number }),
  telegram: body(['chat_id', 'action'], {
    chat_id: chatId, action: text(32), message_type: text(64), message_id: integer,
    message_text: { type: 'string', maxLength: 8192 }, error_message: { type: 'string', maxLength: 2048 },
  }),
  integration: body(['integration', 'request_type', 'status'], {
    integration: text(64), request_type: text(64), status: text(32), status_code: integer, request_data: {},
    response_data: {}, error_message: { type: 'string', maxLength: 4096 }, duration_ms: number, attempt: integer,
  }),
};

export interface LogBodyError {
  field: string;
  message: string;
}

const ajv = new Ajv({ coerceTypes: true, allErrors: false, strict: true, allowUnionTypes: true });
// A timestamp is any string Date.parse understands ("2025-10-03T11:29:13", with or without zone).
ajv.addFormat('date-time-ish', { type: 'string', validate: (s: string) => !Number.isNaN(Date.parse(s)) });
const validators = new Map<LogRoute, ValidateFunction>(LOG_ROUTES.map((r) => [r, ajv.compile(logBodySchemas[r])]));

function describe(err: ErrorObject): LogBodyError {
  if (err.keyword === 'required') {
    const f = String((err.params as { missingProperty: string }).missingProperty);
    return { field: f, message: `${f} is required` };
  }
  const f = err.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)';
  return { field: f, message: `${f} ${err.message ?? 'is invalid'}` };
}

export function validateLogBody<R extends LogRoute>(route: R, value: unknown): { ok: true; body: LogBodies[R] } | { ok: false; error: LogBodyError } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: { field: '(body)', message: 'body must be a JSON object' } };
  }
  const validate = validators.get(route)!;
  if (validate(value)) return { ok: true, body: value as LogBodies[R] };
  return { ok: false, error: describe(validate.errors![0]!) };
}
