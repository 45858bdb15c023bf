import { describe, expect, it } from 'vitest';
import { baseUrlSetting, e164, header, httpVerdict, isExternal, userIdByExtension } from './answers.js';
import { sampleFacts } from './sampleFacts.js';

const res = (status: number, headers: Record<string, string | string[]> = {}) => ({ status, body: {}, headers, durationMs: 1 });

describe('shared readers of the MoySklad, U-ON and Bitrix24 adapters', () => {
  it('the shared verdict carries the CRM\'s words; waits keep their own reason', () => {
    expect(httpVerdict(res(412), '3000: empty (number)')).toEqual({ kind: 'fatal', auth: false, reason: 'HTTP 412: 3000: empty (number)' });
    expect(httpVerdict(res(401), 'bad key')).toEqual({ kind: 'fatal', auth: true, reason: 'HTTP 401: bad key' });
    expect(httpVerdict(res(502), 'bad gateway')).toEqual({ kind: 'retry', reason: 'HTTP 502: bad gateway' });
    expect(httpVerdict(res(429, { 'retry-after': '3' }), 'x')).toMatchObject({ kind: 'rate-limited', waitMs: 3000 });
    expect(header(res(200, { 'x-a': ['1', '2'] }), 'X-A')).toBe('1');
  });

  it('numbers, URLs, mappings, and which calls a CRM hears about', () => {
    expect(e164('375 29 123')).toBe('+37529123');
    expect(baseUrlSetting({ u: 'http://h:1/x//' }, 'u', 'd')).toBe('http://h:1/x');
    expect(baseUrlSetting({ u: 'ftp://h' }, 'u', 'd')).toBe('d');
    expect([...userIdByExtension({ 10: '150', 2: '150', 3: null, 4: '' })]).toEqual([['150', '2']]);
    expect(isExternal(sampleFacts())).toBe(true);
    expect(isExternal(sampleFacts({ direction: 'internal', customerPhone: null }))).toBe(false);
    expect(isExternal(sampleFacts({ direction: null }))).toBe(false);
    expect(isExternal(sampleFacts({ customerPhone: null }))).toBe(false);
  });
});
