/**
 * The telephony module RetailCRM shows for this PBX (`POST /api/v5/integration-modules/{code}/edit`,
 * field `integrationModule` as a JSON string), for the admin UI's "save and register" (issue 11).
 * Seed 002's incidents: the logo must be SVG, `baseUrl` must be set, the telephony settings live in
 * `integrations.telephony`, and the extension mapping goes as `additionalCodes`.
 */
import type { CrmRequest } from '../adapter.js';
import type { RetailCrmSettings } from './settings.js';

export interface ModuleSpec {
  code: string;
  name: string;
  /** Our enterprise number: RetailCRM sends it back as clientId to makeCallUrl. */
  clientId: string;
  baseUrl: string;
  accountUrl: string;
  /** An SVG. */
  logo: string;
  makeCallUrl: string;
  changeUserStatusUrl?: string;
  active?: boolean;
}

/** user_extensions as RetailCRM's additionalCodes: [{userId, code}], by user id. */
export function additionalCodes(userByExtension: ReadonlyMap<string, number>): { userId: number; code: string }[] {
  return [...userByExtension].map(([code, userId]) => ({ userId, code })).sort((a, b) => a.userId - b.userId || a.code.localeCompare(b.code));
}

export function integrationModule(spec: ModuleSpec, userByExtension: ReadonlyMap<string, number>): Record<string, unknown> {
  return {
    code: spec.code,
    integrationCode: spec.code,
    active: spec.active ?? true,
    name: spec.name,
    logo: spec.logo,
    clientId: spec.clientId,
    baseUrl: spec.baseUrl,
    accountUrl: spec.accountUrl,
    integrations: {
      telephony: {
        makeCallUrl: spec.makeCallUrl,
        ...(spec.changeUserStatusUrl ? { changeUserStatusUrl: spec.changeUserStatusUrl } : {}),
        allowEdit: false,
        inputEventSupported: true,
        outputEventSupported: true,
        hangupEventSupported: true,
        additionalCodes: additionalCodes(userByExtension),
        externalPhones: [],
      },
    },
  };
}

export function integrationModuleRequest(s: RetailCrmSettings, spec: ModuleSpec): CrmRequest {
  return {
    method: 'POST',
    url: `${s.baseUrl}/api/v5/integration-modules/${encodeURIComponent(spec.code)}/edit`,
    headers: { 'X-API-KEY': s.apiKey },
    secrets: ['X-API-KEY'],
    bucket: 'api',
    what: `integration-modules/${spec.code}/edit`,
    form: { integrationModule: JSON.stringify(integrationModule(spec, s.userByExtension)) },
  };
}
