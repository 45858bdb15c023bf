import { describe, expect, it } from 'vitest';
import { checkStorableText } from './storableText.js';
import { validateEvent } from './validate.js';

const start = { Token: 'tok', UniqueId: '1700000000.1', Phone: '79001234567', CallType: 0 };

describe('checkStorableText', () => {
  it('passes ordinary text, Cyrillic and paired surrogates (emoji)', () => {
    expect(checkStorableText({ a: 'Иванов', b: ['😀 ok'], c: { d: 'x' } })).toBeNull();
  });

  it('names a value with NUL', () => {
    expect(checkStorableText({ a: 'ok', CallerIDName: 'ab\u0000c' })).toEqual({
      field: 'CallerIDName', message: 'CallerIDName contains a NUL character (\\u0000)',
    });
  });

  it('names lone high and low surrogates, also inside lists and objects', () => {
    expect(checkStorableText({ Extensions: ['101', 'x\uD800'] })?.field).toBe('Extensions.1');
    expect(checkStorableText({ extra: { deep: '\uDC00y' } })?.message).toBe('extra.deep contains an unpaired UTF-16 surrogate');
    expect(checkStorableText({ a: 'end\uD83D' })?.field).toBe('a');
  });

  it('names the object holding a key PostgreSQL cannot store', () => {
    expect(checkStorableText({ 'k\u0000': 1 })).toEqual({ field: '(body)', message: '(body) has a key with a NUL character (\\u0000)' });
    expect(checkStorableText({ extra: { '\uDFFF': 1 } })?.field).toBe('extra');
  });
});

describe('validateEvent refuses unstorable text before the schema', () => {
  it('refuses NUL in a field the schema allows', () => {
    const r = validateEvent('start', { ...start, CallerIDName: 'a\u0000' });
    expect(r).toEqual({ ok: false, error: { field: 'CallerIDName', message: 'CallerIDName contains a NUL character (\\u0000)' } });
  });

  it('still accepts the same body without it', () => {
    expect(validateEvent('start', { ...start, CallerIDName: 'a' }).ok).toBe(true);
  });
});
