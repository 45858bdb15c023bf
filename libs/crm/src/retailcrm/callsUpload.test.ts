/** telephony/calls/upload mapping, with seed 002's rules as cases. */
import { describe, expect, it } from 'vitest';
import { sampleFacts } from '../sampleFacts.js';
import { callsUploadForm, planUploads, resultOf, uploadCall, type UploadCall } from './callsUpload.js';
import { isSkip } from './callType.js';
import { userByExtension } from './settings.js';

const MAP = userByExtension({ 19: '150', 18: '151', 22: null });

const row = (v: UploadCall | { skip: string }): UploadCall => {
  if (isSkip(v)) throw new Error(`skipped: ${v.skip}`);
  return v;
};

describe('RetailCRM history row', () => {
  it('an answered inbound call: host local start, type in, digits without +, the manager who talked, answered, host duration, externalId, recordUrl', () => {
    expect(row(uploadCall(sampleFacts(), MAP))).toEqual({
      date: '2026-03-05 11:00:00', type: 'in', phone: '375291234567', code: '151', userId: 18, result: 'answered', duration: 95,
      externalId: '1741165200.101', externalPhone: '0001363', recordUrl: 'https://records.example/1741165200.101.mp3',
    });
  });

  it('the date is the host wall clock, not UTC', () => {
    expect(row(uploadCall(sampleFacts(), MAP)).date).not.toBe('2026-03-05 08:00:00');
  });

  it('CallType 1 → out; an unanswered outbound call belongs to the manager who dialled', () => {
    const facts = sampleFacts({ hostCallType: 1, direction: 'out', outcome: 'missed', caller: '150', rung: [], talked: [], manager: null, recordUrl: null });
    expect(row(uploadCall(facts, MAP))).toMatchObject({ type: 'out', code: '150', userId: 19, result: 'no answer', duration: 0 });
    expect(row(uploadCall(facts, MAP))).not.toHaveProperty('recordUrl');
  });

  it('CallType 2 (internal) → no row', () => {
    expect(uploadCall(sampleFacts({ hostCallType: 2 }), MAP)).toMatchObject({ skip: expect.stringContaining('internal') });
  });

  it('a missed inbound call has no manager and 0 s of talk', () => {
    const r = row(uploadCall(sampleFacts({ outcome: 'missed', talked: [], manager: null, recordUrl: null }), MAP));
    expect(r).toMatchObject({ result: 'no answer', duration: 0 });
    expect(r).not.toHaveProperty('code');
    expect(r).not.toHaveProperty('userId');
  });

  it('a manager not in user_extensions is left out rather than sent as an unknown code', () => {
    const r = row(uploadCall(sampleFacts({ manager: '199', talked: ['199'] }), MAP));
    expect(r).not.toHaveProperty('code');
    expect(r).not.toHaveProperty('userId');
  });

  it('result in RetailCRM\'s own enum', () => {
    expect(resultOf('answered')).toBe('answered');
    expect(resultOf('busy')).toBe('busy');
    expect(resultOf('missed')).toBe('no answer');
    expect(resultOf(null)).toBe('failed');
  });

  it('a call not yet ended, or without any host time, gets no row', () => {
    expect(uploadCall(sampleFacts({ stage: 'talking', end: null }), MAP)).toEqual({ skip: 'the call has not ended' });
    expect(uploadCall(sampleFacts({ start: null, end: null }), MAP)).toEqual({ skip: 'no start time' });
  });

  it('without a start, the end time stands in', () => {
    expect(row(uploadCall(sampleFacts({ start: null }), MAP)).date).toBe('2026-03-05 11:01:35');
  });
});

describe('RetailCRM upload batches', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => sampleFacts({ callRef: `17411616${String(i).padStart(2, '0')}.1` }));

  it('at most 50 calls a request: 120 calls → 50, 50, 20', () => {
    const plan = planUploads(many(120), MAP);
    expect(plan.batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(new Set(plan.batches.flat().map((c) => c.externalId)).size).toBe(120);
  });

  it('a smaller max is honoured; a larger one is cut to 50', () => {
    expect(planUploads(many(7), MAP, 3).batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(planUploads(many(60), MAP, 500).batches.map((b) => b.length)).toEqual([50, 10]);
  });

  it('internal calls are skipped with their reason, and a call listed twice is one row', () => {
    const list = [sampleFacts(), sampleFacts({ callRef: 'x.1', hostCallType: 2 }), sampleFacts()];
    const plan = planUploads(list, MAP);
    expect(plan.batches.flat().map((c) => c.externalId)).toEqual(['1741165200.101']);
    expect(plan.skipped).toEqual([{ callRef: 'x.1', reason: 'internal call (CallType 2): nothing goes to RetailCRM' }]);
  });

  it('the form: clientId and calls as one JSON array string', () => {
    const calls = planUploads([sampleFacts()], MAP).batches[0]!;
    const form = callsUploadForm('0367', calls);
    expect(form.clientId).toBe('0367');
    expect(JSON.parse(form.calls!)).toEqual(calls);
  });
});
