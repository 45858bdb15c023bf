/**
 * MoySklad settings of one enterprise (`integrations_config.ms`) in the form the mapping reads. Two
 * APIs, two keys: the Phone API 1.0 key (`integration_code`, header Lognex-Phone-Auth-Token) drives
 * calls and popups; the JSON API 1.2 token (`api_token`, Bearer) finds counterparties. Older configs
 * hold one key only, in `api_token`: it is then used for the Phone API and lookups are skipped.
 */
import { baseUrlSetting, stringSetting } from '../answers.js';

export const MS_PHONE_API = 'https://api.moysklad.ru/api/phone/1.0';
export const MS_JSON_API = 'https://api.moysklad.ru/api/remap/1.2';

export interface MsSettings {
  phoneApiUrl: string;
  jsonApiUrl: string;
  phoneKey: string;
  /** null: no JSON API token, so no customer or responsible-manager lookups. */
  jsonToken: string | null;
  /** Extension → MoySklad employee id, from `employee_mapping` ({ "151": { employee_id } }). */
  employeeByExtension: ReadonlyMap<string, string>;
}

export function readMsSettings(raw: Readonly<Record<string, unknown>>): MsSettings | string {
  const code = stringSetting(raw, 'integration_code');
  const token = stringSetting(raw, 'api_token');
  const phoneKey = code ?? token;
  if (!phoneKey) return 'ms.integration_code (Phone API key) or ms.api_token is missing';
  return {
    phoneApiUrl: baseUrlSetting(raw, 'phone_api_url', MS_PHONE_API),
    jsonApiUrl: baseUrlSetting(raw, 'api_url', MS_JSON_API),
    phoneKey,
    jsonToken: code ? token : null,
    employeeByExtension: employeeMap(raw.employee_mapping),
  };
}

function employeeMap(raw: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [ext, v] of Object.entries(raw as Record<string, unknown>)) {
    const id = typeof v === 'object' && v !== null ? (v as { employee_id?: unknown }).employee_id : undefined;
    if (/^\d+$/.test(ext) && typeof id === 'string' && id.trim() !== '') out.set(ext, id.trim());
  }
  return out;
}
