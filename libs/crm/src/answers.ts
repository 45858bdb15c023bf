/**
 * Small readers the MoySklad, U-ON and Bitrix24 adapters share (pure): a header, settings, numbers,
 * the extension ↔ CRM user mapping, which calls a CRM hears about, and the shared reading of an
 * answer (classifyHttp) with the CRM's own error text put in its reason.
 */
import type { CrmResponse, CrmVerdict } from './adapter.js';
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

/** An external call with a customer's number: the only calls a CRM hears about. */
export function isExternal(facts: { direction: string | null; customerPhone: string | null }): facts is { direction: 'in' | 'out'; customerPhone: string } {
  return (facts.direction === 'in' || facts.direction === 'out') && !!facts.customerPhone;
}
