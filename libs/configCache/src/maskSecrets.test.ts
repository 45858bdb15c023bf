import { describe, expect, it } from 'vitest';
import { maskSecrets } from './maskSecrets.js';

describe('masking secrets in integration settings', () => {
  it('masks api keys, tokens, passwords, client secrets and webhook uuids at any depth, and keeps the rest', () => {
    const masked = maskSecrets({
      retailcrm: { enabled: true, domain: 'https://x.retailcrm.ru', api_key: 'NsX6ZE1W6C8vOkkcNm2N', user_extensions: { 19: '150' } },
      ms: { api_token: 'cd5134fa1beec235ed6cc3c4973d4daf540bab8b', webhook_uuid: 'b645bb45-2146-46c3-bb54-29a0e83b39a5',
        employee_mapping: { 151: { name: 'Тимлидовый С.', employee_id: '7af8c227' } } },
      bitrix24: { client_secret: 'abcdefgh', password: 'hunter22', oauth: { refresh_token: 'rrrrrrrr' }, keys: [{ secret: 's3cr3t-value' }] },
    });
    expect(masked).toEqual({
      retailcrm: { enabled: true, domain: 'https://x.retailcrm.ru', api_key: 'NsX6…(20)', user_extensions: { 19: '150' } },
      ms: { api_token: 'cd51…(40)', webhook_uuid: 'b645…(36)', employee_mapping: { 151: { name: 'Тимлидовый С.', employee_id: '7af8c227' } } },
      bitrix24: { client_secret: 'abcd…(8)', password: 'hunt…(8)', oauth: { refresh_token: 'rrrr…(8)' }, keys: [{ secret: 's3cr…(12)' }] },
    });
    expect(JSON.stringify(masked)).not.toMatch(/NsX6ZE1W|cd5134fa1bee|hunter22/);
  });

  it('leaves empty secrets empty, so an operator sees that none is set', () => {
    expect(maskSecrets({ api_key: '', token: null })).toEqual({ api_key: '', token: null });
  });
});
