import { describe, expect, it } from 'vitest';
import { phoneForms, toE164 } from './phone.js';

describe('phone numbers as callers send them', () => {
  it('reduces international, bare and Belarusian national forms to one E.164 number', () => {
    for (const raw of ['+375296254070', '375296254070', '80296254070', '+375 (29) 625-40-70']) {
      expect(toE164(raw)).toBe('+375296254070');
    }
    expect(toE164('+79161234567')).toBe('+79161234567');
  });

  it('refuses what is not a phone number', () => {
    for (const raw of ['', 'abc', '12', '+', '1234567890123456', '375-29-abc']) expect(toE164(raw)).toBeNull();
  });

  it('matches customers rows stored with or without the plus', () => {
    expect(phoneForms('+375296254070')).toEqual(['+375296254070', '375296254070']);
  });
});
