/**
 * A request as logs and traces show it: every secret masked — the fields the adapter names in
 * `secrets` (headers, query, form) and, anywhere in the URL or body text, the values of the account's
 * secret settings (an API key in a URL path, as U-ON puts it). Pure.
 */
import type { CrmRequest } from '../adapter.js';

const MASK = '***';
const SECRET_SETTING = /(key|token|secret|password|webhook)/i;

/** Values of an account's settings whose names say they are secret (api_key, api_token, webhook_url…), longest first. */
export function secretValuesOf(settings: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(settings)) {
    if (typeof v === 'string' && v.length >= 4 && SECRET_SETTING.test(k)) out.push(v);
  }
  return out.sort((a, b) => b.length - a.length);
}

export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join(MASK);
  return out;
}

function maskFields(fields: Readonly<Record<string, string>> | undefined, named: ReadonlySet<string>, secrets: readonly string[]): Record<string, string> | undefined {
  if (!fields) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = named.has(k.toLowerCase()) ? MASK : maskText(v, secrets);
  return out;
}

export interface LoggedRequest {
  method: string;
  url: string;
  what: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
}

export function maskRequest(r: CrmRequest, accountSecrets: readonly string[]): LoggedRequest {
  const named = new Set((r.secrets ?? []).map((s) => s.toLowerCase()));
  // The named fields' own values are masked wherever else they appear too.
  const extra = [...Object.entries(r.headers ?? {}), ...Object.entries(r.query ?? {}), ...Object.entries(r.form ?? {})]
    .filter(([k, v]) => named.has(k.toLowerCase()) && v.length >= 4).map(([, v]) => v);
  const secrets = [...accountSecrets, ...extra].sort((a, b) => b.length - a.length);
  const out: LoggedRequest = { method: r.method, url: maskText(r.url, secrets), what: r.what };
  const headers = maskFields(r.headers, named, secrets);
  const query = maskFields(r.query, named, secrets);
  const form = maskFields(r.form, named, secrets);
  if (headers) out.headers = headers;
  if (query) out.query = query;
  if (form) out.form = form;
  if (r.json !== undefined) out.json = JSON.parse(maskText(JSON.stringify(r.json), secrets)) as unknown;
  return out;
}

/** A body for a log row: masked, and cut to `max` characters of JSON (kept as text when cut). */
export function loggedBody(body: unknown, secrets: readonly string[], max = 8192): unknown {
  if (body === undefined || body === null) return null;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const masked = maskText(text, secrets);
  if (masked.length > max) return { truncated: true, text: masked.slice(0, max) };
  if (typeof body === 'string') return masked;
  return JSON.parse(masked) as unknown;
}
