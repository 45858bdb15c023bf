import { describe, expect, it } from 'vitest';
import { canonicalJson, checkShape, eventKey, validateEvent } from './index.js';

const T = '375293332255';
const dial = { Token: T, UniqueId: '1759230684.16', Phone: '375296254070', CallType: 0 };

/** `{"x":{"x":…}}` n levels deep, built without recursion. */
function nested(n: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < n; i += 1) v = { x: v };
  return v;
}

describe('body shape bounds', () => {
  it('refuses an extra field nested 5,000 objects deep, naming it, without overflowing the stack', () => {
    const r = validateEvent('dial', { ...dial, Extra: nested(5000) });
    expect(r).toEqual({ ok: false, error: { field: 'Extra', message: 'Extra nests deeper than 8 levels' } });
  });

  it('refuses arrays nested deep as well', () => {
    let v: unknown = [];
    for (let i = 0; i < 5000; i += 1) v = [v];
    expect(validateEvent('hangup', { ...dial, CallStatus: 2, Deep: v })).toMatchObject({ ok: false, error: { field: 'Deep' } });
  });

  it('accepts the nesting a host script may send (a few levels)', () => {
    expect(validateEvent('dial', { ...dial, Vars: { a: { b: { c: ['1', '2'] } } } }).ok).toBe(true);
    expect(checkShape({ a: nested(7) })).toBeNull();
    expect(checkShape({ a: nested(8) })).toMatchObject({ field: 'a' });
  });

  it('refuses a body with too many keys and items in all', () => {
    const wide = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`k${i}`, 'v']));
    expect(validateEvent('dial', { ...dial, ...wide })).toMatchObject({ ok: false, error: { field: '(body)' } });
    expect(validateEvent('dial', { ...dial, List: Array.from({ length: 1200 }, () => 1) })).toMatchObject({ ok: false, error: { field: '(body)' } });
  });

  it('keeps a prototype key as plain data', () => {
    const body = JSON.parse(`{"Token":"${T}","UniqueId":"1.1","Phone":"1","CallType":0,"__proto__":{"polluted":true}}`) as object;
    const r = validateEvent('dial', body);
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(canonicalJson(body)).toContain('"__proto__":{"polluted":true}');
  });
});

describe('canonicalJson (iterative)', () => {
  it('writes what JSON.stringify writes for sorted keys, on mixed values', () => {
    const v = { b: [1, 'two', null, { z: true, a: [] }], a: { y: {}, x: -1.5 }, c: 'é"\n' };
    expect(canonicalJson(v)).toBe('{"a":{"x":-1.5,"y":{}},"b":[1,"two",null,{"a":[],"z":true}],"c":"é\\"\\n"}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson('s')).toBe('"s"');
    expect(canonicalJson({ skip: undefined, keep: 1 })).toBe('{"keep":1}');
  });

  it('handles 100,000 levels of nesting', () => {
    const s = canonicalJson(nested(100_000));
    expect(s.length).toBeGreaterThan(500_000);
    expect(s.startsWith('{"x":{"x":')).toBe(true);
  });

  it('keeps event keys stable (the key of a known body)', () => {
    // Computed with the recursive version before it was made iterative: resends across a deploy still match.
    expect(eventKey('dial', { Token: T, UniqueId: '1.1', Phone: '1', CallType: 0, Extensions: ['150'] }))
      .toBe(KNOWN_KEY);
  });
});

const KNOWN_KEY = 'f8979167fef5193df5191d5c316736fb90b48251';
