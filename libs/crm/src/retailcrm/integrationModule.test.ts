/** The module registration body (pure); the sandbox RetailCRM takes it in test/crm/retailcrmAdapter.test.ts. */
import { describe, expect, it } from 'vitest';
import { additionalCodes, integrationModuleRequest, type ModuleSpec } from './integrationModule.js';
import { readSettings, type RetailCrmSettings } from './settings.js';

const S = readSettings({ domain: 'https://shop.retailcrm.ru', api_key: 'k', user_extensions: { 19: '150', 18: '151', 22: null } }) as RetailCrmSettings;
const SPEC: ModuleSpec = {
  code: 'vochi-telephony', name: 'Vochi-CRM', clientId: '0367', baseUrl: 'https://bot.example', accountUrl: 'https://bot.example/retailcrm-admin/?enterprise_number=0367',
  logo: 'https://bot.example/static/logo.svg', makeCallUrl: 'https://bot.example/retailcrm/make-call',
};

describe('RetailCRM integration module', () => {
  it('user_extensions become additionalCodes [{userId, code}] (seed 002: "19" → "150")', () => {
    expect(additionalCodes(S.userByExtension)).toEqual([{ userId: 18, code: '151' }, { userId: 19, code: '150' }]);
  });

  it('integrationModule goes as one JSON string with the telephony settings under integrations.telephony', () => {
    const r = integrationModuleRequest(S, SPEC);
    expect(r).toMatchObject({ method: 'POST', url: 'https://shop.retailcrm.ru/api/v5/integration-modules/vochi-telephony/edit', secrets: ['X-API-KEY'] });
    const body = JSON.parse(r.form!.integrationModule!) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'vochi-telephony', integrationCode: 'vochi-telephony', clientId: '0367', baseUrl: 'https://bot.example', integrations: { telephony: { makeCallUrl: SPEC.makeCallUrl, hangupEventSupported: true } } });
    expect(body).not.toHaveProperty('makeCallUrl');
    expect(body).not.toHaveProperty('configuration');
    expect(body.logo).toMatch(/\.svg$/);
  });
});
