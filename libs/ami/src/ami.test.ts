/** The pure parts of libs/ami: the Originate's fields, settings read from integrations_config, error kinds. */
import { describe, expect, it } from 'vitest';
import { classifyConnectError } from './errors.js';
import { originateFields, reasonText, ringTimeMs } from './originate.js';
import { amiSettingsOf, describeSettings } from './settings.js';

describe('originateFields', () => {
  it('rings the extension through a Local channel, then Dials the customer, async, ringing less than the wait', () => {
    const f = originateFields({ extension: '150', phone: '+375296254070', variables: { CALLPIPE_ORIGIN: 'retailcrm', CALLPIPE_CRM_USER: '19' } }, 'inoffice', 'a1', ringTimeMs(20_000));
    expect(f).toEqual({
      Action: 'Originate', ActionID: 'a1', Channel: 'Local/150@inoffice', Application: 'Dial', Data: 'Local/+375296254070@inoffice',
      CallerID: '+375296254070', Timeout: '17000', Async: 'true', Variable: 'CALLPIPE_ORIGIN=retailcrm,CALLPIPE_CRM_USER=19',
    });
  });
  it('refuses values that would inject AMI lines or variables', () => {
    expect(() => originateFields({ extension: '150\r\nAction: Command', phone: '1' }, 'x', 'a', 1000)).toThrow(RangeError);
    expect(() => originateFields({ extension: '150', phone: '1', variables: { A: '1,B=2' } }, 'x', 'a', 1000)).toThrow(RangeError);
  });
  it('names the PBX\'s reason codes', () => {
    expect(reasonText('5')).toBe('busy (reason 5)');
    expect(reasonText(undefined)).toBe('no reason given');
  });
});

describe('amiSettingsOf', () => {
  it('reads host, port, account and context; the description masks the secret', () => {
    const s = amiSettingsOf({ ami: { enabled: true, host: 'pbx.local', port: '5039', username: 'crm', secret: 's3cr3t-value' } })!;
    expect(s).toEqual({ host: 'pbx.local', port: 5039, username: 'crm', secret: 's3cr3t-value', context: 'inoffice' });
    expect(JSON.stringify(describeSettings(s))).not.toContain('s3cr3t');
  });
  it('is null when absent, disabled or half filled in', () => {
    expect(amiSettingsOf({})).toBeNull();
    expect(amiSettingsOf({ ami: { enabled: false, host: 'h', username: 'u', secret: 's' } })).toBeNull();
    expect(amiSettingsOf({ ami: { host: 'h', username: 'u' } })).toBeNull();
  });
});

describe('classifyConnectError', () => {
  it('tells a refused socket, a refused login and a timeout apart, and scrubs the secret', () => {
    expect(classifyConnectError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'pw').kind).toBe('unreachable');
    class AmiAuthError extends Error {}
    const login = classifyConnectError(new AmiAuthError('AMI message: Authentication failed for pw'), 'pw');
    expect(login.kind).toBe('login_failed');
    expect(login.message).toBe('the PBX refused the login: Authentication failed for [masked]');
    expect(classifyConnectError(Object.assign(new Error('aborted'), { name: 'AbortError' }), 'pw').kind).toBe('timeout');
  });
});
