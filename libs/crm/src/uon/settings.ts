/**
 * U-ON settings of one enterprise (`integrations_config.uon`): the API key (a path segment of every
 * request: https://api.u-on.ru/{key}/…) and which U-ON manager has which extension.
 */
import { baseUrlSetting, extensionOfUserId, stringSetting, userIdByExtension } from '../answers.js';

export const UON_API = 'https://api.u-on.ru';

export interface UonSettings {
  apiUrl: string;
  apiKey: string;
  /** Extension → U-ON manager id, from `user_extensions` ({ "<manager id>": "<extension>" | null }). */
  managerByExtension: ReadonlyMap<string, string>;
}

export function readUonSettings(raw: Readonly<Record<string, unknown>>): UonSettings | string {
  const apiKey = stringSetting(raw, 'api_key');
  if (!apiKey) return 'uon.api_key is missing';
  if (/[/?#\s]/.test(apiKey)) return 'uon.api_key has characters a key cannot have';
  return { apiUrl: apiUrlOf(raw), apiKey, managerByExtension: userIdByExtension(raw.user_extensions) };
}

/** Old configs keep the account's UI address (https://id67054.u-on.ru) in api_url: the API is on api.u-on.ru. */
function apiUrlOf(raw: Readonly<Record<string, unknown>>): string {
  const url = baseUrlSetting(raw, 'api_url', UON_API);
  const host = /^https?:\/\/([^/:]+)/.exec(url)?.[1]?.toLowerCase() ?? '';
  return host.endsWith('u-on.ru') && host !== 'api.u-on.ru' ? UON_API : url;
}

/** The extension of a U-ON manager, by the same mapping read backwards. */
export function extensionOfManager(s: Pick<UonSettings, 'managerByExtension'>, managerId: string): string | null {
  return extensionOfUserId(s.managerByExtension, managerId);
}
