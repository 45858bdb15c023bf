import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FUZZ_KINDS, fuzzCases, seededRng, type FuzzBase } from '../../bench/drills/fuzzBodies.js';

const bases: FuzzBase[] = [
  { type: 'dial', body: { Token: 't', UniqueId: '1.1', Phone: '375291234567', CallType: 0, Extensions: ['150'] } },
  { type: 'hangup', body: { Token: 't', UniqueId: '1.1', Phone: '375291234567', CallType: 0, CallStatus: '2' } },
];

describe('fuzz bodies', () => {
  it('gives the same bytes for the same seed, other bytes for another seed', () => {
    const digest = (seed: number) => {
      const h = createHash('sha256');
      for (const c of fuzzCases(seed, 130, bases)) h.update(`${c.path}|${c.contentType ?? ''}|`).update(c.body);
      return h.digest('hex');
    };
    expect(digest(7)).toBe(digest(7));
    expect(digest(7)).not.toBe(digest(8));
  });

  it('covers every kind even in a short run', () => {
    const kinds = new Set(fuzzCases(1, FUZZ_KINDS.length, bases).map((c) => c.kind));
    expect([...kinds].sort()).toEqual([...FUZZ_KINDS].sort());
  });

  it('makes the hostile shapes it promises', () => {
    const cases = fuzzCases(3, 520, bases);
    const text = (k: string) => cases.filter((c) => c.kind === k).map((c) => c.body.toString('utf8'));
    // Nesting deep enough to overflow a recursive walker, yet under a 64 KiB body limit.
    const deep = '{"a":'.repeat(5_000);
    expect(text('deep-nesting').some((t) => t.length < 65_536 && t.includes(deep))).toBe(true);
    expect(text('prototype-keys').some((t) => t.includes('"__proto__"'))).toBe(true);
    expect(cases.some((c) => c.kind === 'huge-string' && c.body.length > 65_536)).toBe(true);
    expect(cases.some((c) => c.kind === 'content-type' && c.contentType === 'application/x-www-form-urlencoded')).toBe(true);
    expect(cases.filter((c) => c.kind === 'cut-short').every((c) => c.cutShort)).toBe(true);
    // Invalid UTF-8: decoding and re-encoding changes the bytes.
    expect(cases.some((c) => c.kind === 'bad-encoding' && !Buffer.from(c.body.toString('utf8')).equals(c.body))).toBe(true);
  });

  it('draws numbers in [0, 1) from the seeded generator', () => {
    const rng = seededRng(42);
    const draws = Array.from({ length: 1_000 }, () => rng.next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(new Set(draws).size).toBeGreaterThan(990);
  });
});
