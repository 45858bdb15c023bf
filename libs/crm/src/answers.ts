/**
 * Small readers the CRM adapters share (pure): a header, settings, numbers, the extension ↔ CRM user
 * mapping, which calls a CRM hears about, the fields of a JSON answer, and the shared reading of an
 * answer (classifyHttp) with the CRM's own error text put in its reason.
 */
import { CrmRequestError, type CrmContext, type CrmResponse, type CrmVerdict } from './adapter.js';
import { classifyHttp } from './http/classifyHttp.js';

/** A header as one string (first value when repeated); headers arrive lower-cased. */
export function header(response: CrmResponse, name: string): string | undefined {
  const v = response.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** classifyHttp's verdict for this status, its reason carrying the CRM's own words ("HTTP 412: 3000: …"). */
export function httpVerdict(response: CrmResponse, errorText: string): CrmVerdict {
  const base = classifyHttp(response);
  if (base.kind === 'ok' || base.kind === 'rate-limited') return base;
  return { ...base, reason: `HTTP ${response.status}: ${errorText}` };
}

/** The customer's number as CRMs want it in E.164 ("+375291234567") from our digits-only form. */
export function e164(digits: string): string {
  return `+${digits.replace(/\D/g, '')}`;
}

/** A trimmed non-empty string setting, else null. */
export function stringSetting(raw: Readonly<Record<string, unknown>>, key: string): string | null {
  const v = raw[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** The account's settings as `read` makes them; a string from it is a fatal verdict (no retry mends a config). */
export function settingsOrFatal<S>(ctx: CrmContext, read: (raw: Readonly<Record<string, unknown>>) => S | string, what: string): S {
  const s = read(ctx.account.settings);
  if (typeof s === 'string') throw new CrmRequestError({ kind: 'fatal', reason: s, auth: true }, what);
  return s;
}

/** An http(s) base URL setting without trailing slashes, else the default. */
export function baseUrlSetting(raw: Readonly<Record<string, unknown>>, key: string, fallback: string): string {
  const v = stringSetting(raw, key);
  return v && /^https?:\/\/[^\s/]+/.test(v) ? v.replace(/\/+$/, '') : fallback;
}

/** A short text of an unknown body for a verdict's reason (first 200 characters). */
export function bodyText(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * `{ "<crm user id>": "<extension>" | null }` → Map extension → crm user id. Unassigned (null, empty)
 * entries are skipped; an extension named twice keeps the smallest id so key order does not matter.
 */
export function userIdByExtension(raw: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  const pairs = Object.entries(raw as Record<string, unknown>)
    .filter((p): p is [string, string] => p[0].trim() !== '' && typeof p[1] === 'string' && p[1].trim() !== '')
    .map(([id, ext]) => [id.trim(), ext.trim()] as const)
    .sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }));
  for (const [id, ext] of pairs) if (!out.has(ext)) out.set(ext, id);
  return out;
}

/** The extension a CRM user id has in an extension → user id map (the mapping read backwards). */
export function extensionOfUserId(userByExtension: ReadonlyMap<string, string>, userId: string): string | null {
  for (const [ext, id] of userByExtension) if (id === userId) return ext;
  return null;
}

/** An object of a JSON answer, else null. */
export function record(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : null;
}

/** A trimmed non-empty string of a JSON answer, else undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** As text(), and a finite number as its digits (ids some CRMs send as numbers). */
export function textOrNumber(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return text(v);
}

/** Only the fields that have a value: optional fields of a record read from an answer. */
export function present<K extends string>(fields: Record<K, string | undefined>): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [k, v] of Object.entries(fields) as [K, string | undefined][]) if (v) out[k] = v;
  return out;
}

/** An external call with a customer's number: the only calls a CRM hears about. */
export function isExternal(facts: { direction: string | null; customerPhone: string | null }): facts is { direction: 'in' | 'out'; customerPhone: string } {
  return (facts.direction === 'in' || facts.direction === 'out') && !!facts.customerPhone;
}
