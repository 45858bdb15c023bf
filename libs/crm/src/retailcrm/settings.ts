/**
 * RetailCRM settings of one enterprise (`integrations_config.retailcrm`, schema-checked upstream) in
 * the form the mapping reads: the API base, the key, and the extension ↔ RetailCRM user id mapping.
 */
import { userIdByExtension } from '../answers.js';

export interface RetailCrmSettings {
  /** https://<account>.retailcrm.ru without a trailing slash; requests go to `${baseUrl}/api/v5/…`. */
  baseUrl: string;
  apiKey: string;
  /** Extension → RetailCRM user id, from `user_extensions` ({ userId: extension | null }). */
  userByExtension: ReadonlyMap<string, number>;
}

/** Reads the settings; a string says what is missing (the integration cannot be called without it). */
export function readSettings(raw: Readonly<Record<string, unknown>>): RetailCrmSettings | string {
  const domain = typeof raw.domain === 'string' ? raw.domain.trim().replace(/\/+$/, '') : '';
  if (!/^https?:\/\/[^\s/]+/.test(domain)) return 'retailcrm.domain is missing or not a URL';
  const apiKey = typeof raw.api_key === 'string' ? raw.api_key.trim() : '';
  if (!apiKey) return 'retailcrm.api_key is missing';
  return { baseUrl: domain.replace(/\/api\/v5$/, ''), apiKey, userByExtension: userByExtension(raw.user_extensions) };
}

/** `{ "19": "150", "22": null }` → Map { "150" → 19 } (RetailCRM user ids are numbers; others are ignored). */
export function userByExtension(raw: unknown): Map<string, number> {
  const out = new Map<string, number>();
  for (const [ext, id] of userIdByExtension(raw)) if (/^\d+$/.test(id)) out.set(ext, Number(id));
  return out;
}
