/** RetailCRM's click-to-call parameters and the extension that rings first (pure). */
import { describe, expect, it } from 'vitest';
import { extensionFor, noExtensionMessage, readMakeCall } from './makeCallParams.js';

const mapping = { 19: '150', 18: '151', 22: null };

describe('extensionFor (the seed\'s three cases)', () => {
  it('userId 19 -> 150; code 151 wins over userId 99; user 999 has none', () => {
    expect(extensionFor({ userId: '19', code: null }, mapping)).toBe('150');
    expect(extensionFor({ userId: '99', code: '151' }, mapping)).toBe('151');
    expect(extensionFor({ userId: '999', code: null }, mapping)).toBeNull();
    expect(noExtensionMessage('999')).toBe('No extension configured for user 999');
    expect(extensionFor({ userId: '22', code: null }, mapping)).toBeNull();
  });
});

describe('readMakeCall', () => {
  it('reads the query, falls back to the body, normalises phones to E.164', () => {
    const r = readMakeCall({ clientId: '0367', phone: '80296254070' }, { userId: 19, externalPhone: '375291112233' });
    expect(r).toEqual({ ok: true, value: { clientId: '0367', userId: '19', phone: '+375296254070', code: null, externalPhone: '+375291112233' } });
  });
  it('names the bad field', () => {
    expect(readMakeCall({ clientId: '0367', phone: 'x' }, undefined)).toMatchObject({ ok: false, field: 'phone' });
    expect(readMakeCall({ clientId: '0367', phone: '+375296254070', code: '15 0' }, undefined)).toMatchObject({ ok: false, field: 'code' });
    expect(readMakeCall({ phone: '+375296254070' }, undefined)).toMatchObject({ ok: false, field: 'clientId' });
  });
});
