/**
 * The shape of each integration's settings inside `enterprises.integrations_config`, from the old
 * system's documents. An enabled integration must carry what it needs to be called; a disabled one
 * may be half filled in. Every schema keeps unknown fields (admin UIs add their own).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;

const enabled = { type: 'boolean' };
const nonEmpty = { type: 'string', minLength: 1 };

/** `required` fields apply only when `enabled` is true. */
function integration(properties: Schema, requiredWhenEnabled: string[]): Schema {
  return {
    type: 'object',
    properties: { enabled, ...properties },
    additionalProperties: true,
    if: { properties: { enabled: { const: true } }, required: ['enabled'] },
    then: { required: requiredWhenEnabled },
  };
}

export const INTEGRATION_SCHEMAS: Readonly<Record<string, Schema>> = {
  retailcrm: integration({
    domain: { type: 'string', pattern: '^https?://[^\\s/]+' },
    api_key: nonEmpty,
    // RetailCRM user id -> internal extension; null unassigns it.
    user_extensions: {
      type: 'object',
      propertyNames: { pattern: '^[0-9]+$' },
      additionalProperties: { anyOf: [{ type: 'string', pattern: '^[0-9]+$' }, { type: 'null' }] },
    },
    last_sync: { type: 'string' },
  }, ['domain', 'api_key']),
  ms: integration({
    api_token: nonEmpty,
    webhook_uuid: { type: 'string' },
    employee_mapping: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { name: { type: 'string' }, employee_id: { type: 'string' } } },
    },
    incoming_call_actions: { type: 'object' },
    // Phone API 1.0 key (Lognex-Phone-Auth-Token); without it api_token is used for the Phone API.
    integration_code: { type: 'string' },
    phone_api_url: { type: 'string', pattern: '^https?://[^\\s/]+' },
    api_url: { type: 'string', pattern: '^https?://[^\\s/]+' },
  }, ['api_token']),
  uon: integration({
    api_key: nonEmpty,
    // U-ON manager id -> internal extension; null unassigns it.
    user_extensions: { type: 'object', additionalProperties: { anyOf: [{ type: 'string', pattern: '^[0-9]+$' }, { type: 'null' }] } },
  }, ['api_key']),
  bitrix24: integration({
    // The portal's inbound webhook with the telephony scope: https://<portal>/rest/<user id>/<code>/
    webhook_url: { type: 'string', pattern: '^https?://[^\\s/]+(/[^\\s/]+)*/rest/[0-9]+/[A-Za-z0-9_-]+/?$' },
    // Bitrix24 user id -> internal extension; null unassigns it.
    user_extensions: {
      type: 'object',
      propertyNames: { pattern: '^[0-9]+$' },
      additionalProperties: { anyOf: [{ type: 'string', pattern: '^[0-9]+$' }, { type: 'null' }] },
    },
    crm_create: { type: 'boolean' },
  }, ['webhook_url']),
  // The enterprise's Asterisk Manager Interface: click-to-call and call-back originate through it.
  ami: integration({
    host: { type: 'string', minLength: 1, pattern: '^[^\\s/:]+$' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    username: nonEmpty,
    secret: nonEmpty,
    // Dialplan context of the Local channels (the old system's `inoffice`).
    context: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
  }, ['host', 'username', 'secret']),
  smart: {
    type: 'object',
    properties: { enabled, primary: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] } },
    additionalProperties: true,
  },
};

/** Any other integration type: an object whose `enabled`, if present, is a boolean. */
const OPAQUE: Schema = { type: 'object', properties: { enabled }, additionalProperties: true };

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new Map<string, ValidateFunction>(Object.entries(INTEGRATION_SCHEMAS).map(([k, s]) => [k, ajv.compile(s)]));
const opaque = ajv.compile(OPAQUE);

function describe(err: ErrorObject | undefined): string {
  if (!err) return 'is invalid';
  if (err.keyword === 'required') return `${String((err.params as { missingProperty: string }).missingProperty)} is required when enabled`;
  const where = err.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(config)';
  return `${where} ${err.message ?? 'is invalid'}`;
}

/** null when the settings fit their type's schema, else why not ("api_key is required when enabled"). */
export function integrationError(type: string, settings: unknown): string | null {
  const validate = compiled.get(type) ?? opaque;
  return validate(settings) ? null : describe(validate.errors?.[0]);
}
