import { describe, expect, it } from 'vitest';
import { integrationError } from './integrationSchemas.js';

describe('integration settings schemas (MoySklad, U-ON, Bitrix24)', () => {
  it('an enabled Bitrix24 needs an inbound webhook URL; a disabled one may be half filled in', () => {
    expect(integrationError('bitrix24', { enabled: true, webhook_url: 'https://p.bitrix24.ru/rest/1/abc123/', user_extensions: { 11: '150', 12: null }, crm_create: true })).toBeNull();
    expect(integrationError('bitrix24', { enabled: true })).toBe('webhook_url is required when enabled');
    expect(integrationError('bitrix24', { enabled: true, webhook_url: 'https://p.bitrix24.ru/' })).toMatch(/webhook_url/);
    expect(integrationError('bitrix24', { enabled: true, webhook_url: 'https://p.bitrix24.ru/rest/1/abc', user_extensions: { x: '150' } })).toMatch(/user_extensions/);
    expect(integrationError('bitrix24', { enabled: false })).toBeNull();
  });

  it('U-ON maps manager ids to extensions; MoySklad takes a Phone API key and API base URLs', () => {
    expect(integrationError('uon', { enabled: true, api_key: 'k', user_extensions: { 7: '150', 8: null } })).toBeNull();
    expect(integrationError('uon', { enabled: true, api_key: 'k', user_extensions: { 7: 'abc' } })).toMatch(/user_extensions/);
    expect(integrationError('ms', { enabled: true, api_token: 't', integration_code: 'p', phone_api_url: 'http://127.0.0.1:1/ms/api/phone/1.0' })).toBeNull();
    expect(integrationError('ms', { enabled: true, api_token: 't', phone_api_url: 'not a url' })).toMatch(/phone_api_url/);
  });
});

describe('ami settings schema', () => {
  it('an enabled AMI needs host, username and secret; the port is a TCP port; the secret is masked', async () => {
    expect(integrationError('ami', { enabled: true, host: '127.0.0.1', port: 5038, username: 'crm', secret: 's', context: 'inoffice' })).toBeNull();
    expect(integrationError('ami', { enabled: true, host: '127.0.0.1', username: 'crm' })).toBe('secret is required when enabled');
    expect(integrationError('ami', { enabled: true, host: '127.0.0.1', port: 70000, username: 'crm', secret: 's' })).toMatch(/port/);
    const { maskSecrets } = await import('./maskSecrets.js');
    expect(maskSecrets({ ami: { host: 'h', secret: 'sandbox-ami-secret' } }).ami.secret).not.toContain('ami-secret');
  });
});
