/** Reading RetailCRM's answers: envelope, warnings, auth, validation, limits, outages. */
import { describe, expect, it } from 'vitest';
import type { CrmResponse } from '../adapter.js';
import { CrmTransportError } from '../http/transportError.js';
import { classify } from './classify.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): CrmResponse => ({ status, body, headers, durationMs: 12 });
const NOW = Date.parse('2026-03-05T08:00:00Z');

describe('RetailCRM classify', () => {
  it('success:true is ok', () => {
    expect(classify(answer(200, { success: true }))).toEqual({ kind: 'ok' });
    expect(classify(answer(201, { success: true, id: 5 }))).toEqual({ kind: 'ok' });
  });

  it('notExistCodes and notExistUsers are surfaced as warnings of an ok answer', () => {
    const v = classify(answer(200, { success: true, notExistCodes: ['151'], notExistUsers: [22] }));
    expect(v.kind).toBe('ok');
    expect(v.kind === 'ok' && v.warnings).toEqual([
      expect.stringMatching(/^notExistCodes: 151 /),
      expect.stringMatching(/^notExistUsers: 22 /),
    ]);
  });

  it('duplicateCalls (a retried upload) is ok with a warning, not an error', () => {
    expect(classify(answer(200, { success: true, processedCallsCount: 0, duplicateCalls: ['1741165200.101'] }))).toEqual({
      kind: 'ok', warnings: ["duplicateCalls: 1741165200.101 (already in RetailCRM's history)"],
    });
  });

  it('400 with the envelope is fatal, not auth, and the reason carries errorMsg and errors', () => {
    expect(classify(answer(400, { success: false, errorMsg: 'Errors in the entity format', errors: { phone: 'This value should not be blank.' } }))).toEqual({
      kind: 'fatal', auth: false, reason: 'HTTP 400: Errors in the entity format (phone: This value should not be blank.)',
    });
    expect(classify(answer(400, { success: false, errorMsg: 'Parameter \'event\' is missing' }))).toMatchObject({ kind: 'fatal', auth: false });
  });

  it('errors as a list are joined as they are', () => {
    expect(classify(answer(400, { success: false, errorMsg: 'Validation error', errors: ['calls[0].date: bad', 'calls[1].type: bad'] }))).toMatchObject({
      reason: 'HTTP 400: Validation error (calls[0].date: bad; calls[1].type: bad)',
    });
  });

  it('401 and 403 are fatal and auth (bad key, no access)', () => {
    expect(classify(answer(401, { success: false, errorMsg: 'Wrong "apiKey" value.' }))).toEqual({ kind: 'fatal', auth: true, reason: 'HTTP 401: Wrong "apiKey" value.' });
    expect(classify(answer(403, { success: false, errorMsg: 'Access denied.' }))).toMatchObject({ kind: 'fatal', auth: true });
  });

  it('an account error under another status is still auth', () => {
    expect(classify(answer(402, { success: false, errorMsg: 'Account does not exist.' }))).toMatchObject({ kind: 'fatal', auth: true });
  });

  it('an HTML page (wrong domain) is fatal auth: no RetailCRM answers there', () => {
    expect(classify(answer(200, '<html>parked domain</html>'))).toMatchObject({ kind: 'fatal', auth: true, reason: expect.stringContaining('check the domain') });
    expect(classify(answer(404, '<html>Not Found</html>'))).toMatchObject({ kind: 'fatal', auth: true });
  });

  it('429 waits for Retry-After (seconds or an HTTP date), 1 s without one', () => {
    expect(classify(answer(429, { success: false, errorMsg: 'Too Many Requests' }, { 'retry-after': '3' }), undefined, NOW)).toMatchObject({ kind: 'rate-limited', waitMs: 3000 });
    expect(classify(answer(429, {}, { 'retry-after': 'Thu, 05 Mar 2026 08:00:07 GMT' }), undefined, NOW)).toMatchObject({ kind: 'rate-limited', waitMs: 7000 });
    expect(classify(answer(429, {}), undefined, NOW)).toMatchObject({ kind: 'rate-limited', waitMs: 1000 });
  });

  it('503 from RetailCRM itself (its envelope or Retry-After) is its limit; a bare 503 from a proxy is an outage to retry', () => {
    expect(classify(answer(503, { success: false, errorMsg: 'Service Unavailable' }))).toMatchObject({ kind: 'rate-limited', waitMs: 1000 });
    expect(classify(answer(503, '<html>503</html>', { 'retry-after': '2' }))).toMatchObject({ kind: 'rate-limited', waitMs: 2000 });
    expect(classify(answer(503, '<html><body>503 Service Temporarily Unavailable</body></html>'))).toEqual({ kind: 'retry', reason: 'HTTP 503' });
  });

  it('500, 502, 504 retry', () => {
    for (const s of [500, 502, 504]) expect(classify(answer(s, 'Bad Gateway')).kind).toBe('retry');
  });

  it('timeouts and refused connections retry', () => {
    expect(classify(new CrmTransportError('timeout', 'no answer in 2500 ms'))).toEqual({ kind: 'retry', reason: 'timeout: no answer in 2500 ms' });
    expect(classify(new CrmTransportError('network', 'connect ECONNREFUSED 127.0.0.1:1')).kind).toBe('retry');
  });

  it('success:false under 200 is fatal (RetailCRM refused it)', () => {
    expect(classify(answer(200, { success: false, errorMsg: 'Not found' }))).toEqual({ kind: 'fatal', auth: false, reason: 'HTTP 200: Not found' });
  });
});
