import { describe, expect, it } from 'vitest';
import { finishParams, registerParams, type ExternalFacts } from './bitrix24/mapping.js';
import { finishRequest, registerRequest } from './bitrix24/requests.js';
import { readBitrix24Settings, type Bitrix24Settings } from './bitrix24/settings.js';
import { maskRequest, secretValuesOf } from './http/maskRequest.js';
import { newCall, showEvents } from './moysklad/mapping.js';
import { counterpartyRequest, createCallRequest } from './moysklad/requests.js';
import { readMsSettings, type MsSettings } from './moysklad/settings.js';
import { ringingFacts, sampleFacts } from './sampleFacts.js';
import { callHistoryRequest, clientByPhoneRequest } from './uon/requests.js';
import { readUonSettings, type UonSettings } from './uon/settings.js';

const shown = (x: unknown): string => JSON.stringify(x);

describe('what logs and traces show of MoySklad, U-ON and Bitrix24 requests: no secret', () => {
  it('MoySklad: the Phone API key header and the Bearer token are masked', () => {
    const raw = { enabled: true, integration_code: 'phone-key-0123456789', api_token: 'json-token-abcdef' };
    const s = readMsSettings(raw) as MsSettings;
    const f = ringingFacts() as ExternalFacts;
    for (const r of [createCallRequest(s, newCall(f, showEvents(f, ['150'], s))!), counterpartyRequest({ ...s, jsonToken: 'json-token-abcdef' }, '375291234567')]) {
      const logged = shown(maskRequest(r, secretValuesOf(raw)));
      expect(logged).not.toContain('phone-key-0123456789');
      expect(logged).not.toContain('json-token-abcdef');
    }
  });

  it('U-ON: the key in the URL path is masked, the rest of the URL kept', () => {
    const raw = { enabled: true, api_key: 'K3yOfTheAccount' };
    const s = readUonSettings(raw) as UonSettings;
    for (const r of [clientByPhoneRequest(s, '375291234567'), callHistoryRequest(s, { phone: '375291234567' })]) {
      const logged = maskRequest(r, secretValuesOf(raw));
      expect(shown(logged)).not.toContain('K3yOfTheAccount');
      expect(logged.url).toMatch(/^https:\/\/api\.u-on\.ru\/\*\*\*\//);
    }
  });

  it('Bitrix24: the webhook (and so its code) is masked, the method kept', () => {
    const raw = { enabled: true, webhook_url: 'https://p.bitrix24.ru/rest/1/wh0ok5ecret/' };
    const s = readBitrix24Settings(raw) as Bitrix24Settings;
    const f = sampleFacts() as ExternalFacts;
    for (const r of [registerRequest(s, registerParams(f, s, '150', true)), finishRequest(s, finishParams(f, s, 'c', '150'))]) {
      const logged = maskRequest(r, secretValuesOf(raw));
      expect(shown(logged)).not.toContain('wh0ok5ecret');
      expect(logged.url).toMatch(/telephony\.externalcall\.(register|finish)\.json$/);
    }
    // Written without its trailing slash, the webhook is still found in the URL.
    const bare = { webhook_url: 'https://p.bitrix24.ru/rest/1/wh0ok5ecret' };
    expect(shown(maskRequest(registerRequest(readBitrix24Settings(bare) as Bitrix24Settings, registerParams(f, s, '150', true)), secretValuesOf(bare)))).not.toContain('wh0ok5ecret');
  });
});
