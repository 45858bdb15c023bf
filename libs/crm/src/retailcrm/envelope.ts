/** RetailCRM's answer envelope: `{success: true, …}` or `{success: false, errorMsg, errors}`. */

export interface Envelope {
  success: boolean;
  errorMsg?: string;
  /** `errors` flattened: an object's "field: message" pairs or a list's messages. */
  errors: string[];
  body: Record<string, unknown>;
}

/** null when the body is not RetailCRM's JSON envelope (an HTML page from a proxy, a wrong domain). */
export function readEnvelope(body: unknown): Envelope | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.success !== 'boolean') return null;
  return {
    success: b.success,
    ...(typeof b.errorMsg === 'string' ? { errorMsg: b.errorMsg } : {}),
    errors: flatten(b.errors),
    body: b,
  };
}

function flatten(errors: unknown): string[] {
  if (Array.isArray(errors)) return errors.map(String);
  if (typeof errors === 'object' && errors !== null) {
    return Object.entries(errors as Record<string, unknown>).map(([k, v]) => (/^\d+$/.test(k) ? String(v) : `${k}: ${String(v)}`));
  }
  return [];
}

/** "Errors in the entity format (phone: This value should not be blank.)" */
export function describe(env: Envelope, fallback: string): string {
  const msg = env.errorMsg ?? fallback;
  return env.errors.length ? `${msg} (${env.errors.join('; ')})` : msg;
}

/** String list of an answer field (`notExistCodes`, `duplicateCalls`), [] when absent. */
export function listField(body: Record<string, unknown>, field: string): string[] {
  const v = body[field];
  return Array.isArray(v) ? v.map(String) : [];
}
