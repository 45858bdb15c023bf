import { describe, expect, it } from 'vitest';
import type { CrmResponse } from '../adapter.js';
import { classifyHttp, retryAfterMs } from './classifyHttp.js';
import { CrmTransportError } from './transportError.js';

const res = (status: number, headers: Record<string, string> = {}): CrmResponse => ({ status, headers, body: {}, durationMs: 5 });
const NOW = Date.parse('2025-01-09T10:00:00Z');

describe('classifyHttp', () => {
  it.each([
    ['200', res(200), 'ok'],
    ['201', res(201), 'ok'],
    ['a timeout', new CrmTransportError('timeout', 'Timeout awaiting request for 2500ms'), 'retry'],
    ['a refused connection', new CrmTransportError('network', 'ECONNREFUSED'), 'retry'],
    ['500', res(500), 'retry'],
    ['502', res(502), 'retry'],
    ['503 without Retry-After', res(503), 'retry'],
    ['408', res(408), 'retry'],
    ['429', res(429), 'rate-limited'],
    ['503 with Retry-After', res(503, { 'retry-after': '7' }), 'rate-limited'],
    ['401', res(401), 'fatal'],
    ['403', res(403), 'fatal'],
    ['400', res(400), 'fatal'],
    ['404', res(404), 'fatal'],
  ] as const)('%s → %s', (_name, outcome, kind) => {
    expect(classifyHttp(outcome, NOW).kind).toBe(kind);
  });

  it('marks 401 and 403 as a bad key (flagged), 400 as not', () => {
    expect(classifyHttp(res(401), NOW)).toMatchObject({ kind: 'fatal', auth: true });
    expect(classifyHttp(res(403), NOW)).toMatchObject({ kind: 'fatal', auth: true });
    expect(classifyHttp(res(400), NOW)).toMatchObject({ kind: 'fatal', auth: false });
  });

  it('waits what Retry-After says, 1 s when a 429 says nothing', () => {
    expect(classifyHttp(res(429, { 'retry-after': '3' }), NOW)).toMatchObject({ kind: 'rate-limited', waitMs: 3000 });
    expect(classifyHttp(res(429), NOW)).toMatchObject({ kind: 'rate-limited', waitMs: 1000 });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, an HTTP date, and nothing else', () => {
    expect(retryAfterMs({ 'retry-after': '2' }, NOW)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': '0.5' }, NOW)).toBe(500);
    expect(retryAfterMs({ 'retry-after': 'Thu, 09 Jan 2025 10:00:30 GMT' }, NOW)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Thu, 09 Jan 2025 09:59:00 GMT' }, NOW)).toBe(0);
    expect(retryAfterMs({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
    expect(retryAfterMs({}, NOW)).toBeUndefined();
  });

  it('caps a wait of hours at ten minutes (the breaker holds a CRM that is away that long)', () => {
    expect(retryAfterMs({ 'retry-after': '86400' }, NOW)).toBe(600_000);
  });
});
