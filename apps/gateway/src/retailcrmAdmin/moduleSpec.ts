/**
 * The telephony module this gateway registers in an enterprise's RetailCRM account: every URL built
 * on PUBLIC_BASE_URL (RetailCRM calls makeCallUrl and changeUserStatusUrl there, and sends people to
 * accountUrl), the enterprise as clientId, and an SVG logo served beside the admin UI. Pure.
 */
import type { ModuleSpec } from '@callpipe/crm';
import { MAKE_CALL_PATH, USER_STATUS_PATH } from '../clickToCall/routes.js';

export const ADMIN_PATH = '/retailcrm-admin';
/** Served by ../clickToCall: one definition of the paths RetailCRM is told to call. */
export { MAKE_CALL_PATH, USER_STATUS_PATH as CHANGE_USER_STATUS_PATH };
export const MODULE_NAME = 'Callpipe telephony';

export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
<rect width="64" height="64" rx="14" fill="#1f6feb"/>
<path fill="#fff" d="M23.6 14.5c1.3-.4 2.7.2 3.3 1.4l3.4 7c.6 1.2.3 2.6-.7 3.5l-3.3 2.8c2 4.4 5.6 8.1 10 10.1l2.8-3.3c.9-1 2.3-1.3 3.5-.7l7 3.4c1.2.6 1.8 2 1.4 3.3l-1.4 4.6c-.5 1.6-2 2.7-3.7 2.6C29.9 48.2 15.8 34.1 14.8 16.3c-.1-1.7 1-3.2 2.6-3.7z"/>
</svg>
`;

export interface ModuleUrls {
  /** PUBLIC_BASE_URL, no trailing slash. */
  publicBaseUrl: string;
  code: string;
}

export function accountUrl(publicBaseUrl: string, enterprise: string, token: string | null): string {
  const q = new URLSearchParams({ enterprise_number: enterprise, ...(token ? { token } : {}) });
  return `${publicBaseUrl}${ADMIN_PATH}/?${q.toString()}`;
}

export function moduleSpec(u: ModuleUrls, enterprise: string, token: string | null, active: boolean): ModuleSpec {
  return {
    code: u.code,
    name: MODULE_NAME,
    clientId: enterprise,
    baseUrl: u.publicBaseUrl,
    accountUrl: accountUrl(u.publicBaseUrl, enterprise, token),
    logo: `${u.publicBaseUrl}${ADMIN_PATH}/logo.svg`,
    makeCallUrl: `${u.publicBaseUrl}${MAKE_CALL_PATH}`,
    changeUserStatusUrl: `${u.publicBaseUrl}${USER_STATUS_PATH}`,
    active,
  };
}
