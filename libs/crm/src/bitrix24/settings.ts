/**
 * Bitrix24 settings of one enterprise (`integrations_config.bitrix24`): the portal's inbound webhook
 * (https://<portal>/rest/<user id>/<code>/, telephony and crm scopes) — its code is the secret, a
 * path segment of every request — and which Bitrix24 user has which extension.
 */
import { extensionOfUserId, stringSetting, userIdByExtension } from '../answers.js';

export interface Bitrix24Settings {
  /** https://<portal>/rest/<user id>/ — the webhook without its code. */
  restBase: string;
  /** The webhook's secret code. */
  code: string;
  /** Extension → Bitrix24 user id, from `user_extensions` ({ "<user id>": "<extension>" | null }). */
  userByExtension: ReadonlyMap<string, string>;
  /** CRM_CREATE: make a lead for a number the CRM does not know. */
  crmCreate: boolean;
}

const WEBHOOK = /^(https?:\/\/[^\s/]+(?:\/[^\s/]+)*?\/rest\/\d+\/)([A-Za-z0-9_-]+)\/?$/;

export function readBitrix24Settings(raw: Readonly<Record<string, unknown>>): Bitrix24Settings | string {
  const url = stringSetting(raw, 'webhook_url');
  if (!url) return 'bitrix24.webhook_url is missing';
  const m = WEBHOOK.exec(url);
  if (!m) return 'bitrix24.webhook_url is not a Bitrix24 inbound webhook (https://<portal>/rest/<user id>/<code>/)';
  return { restBase: m[1]!, code: m[2]!, userByExtension: userIdByExtension(raw.user_extensions), crmCreate: raw.crm_create === true };
}

/** The extension of a Bitrix24 user, by the same mapping read backwards. */
export function extensionOfUser(s: Pick<Bitrix24Settings, 'userByExtension'>, userId: string): string | null {
  return extensionOfUserId(s.userByExtension, userId);
}
