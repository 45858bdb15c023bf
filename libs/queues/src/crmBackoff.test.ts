import { describe, expect, it } from 'vitest';
import { crmBackoffMs } from './crmBackoff.js';

describe('crm-dispatch backoff', () => {
  it('doubles from the base, ±25%', () => {
    expect(crmBackoffMs(1, 2000, () => 0.5)).toBe(2000);
    expect(crmBackoffMs(2, 2000, () => 0.5)).toBe(4000);
    expect(crmBackoffMs(3, 2000, () => 0)).toBe(6000);
    expect(crmBackoffMs(3, 2000, () => 1)).toBe(10_000);
  });

  it('stops growing at 300 times the base (10 min from 2 s)', () => {
    expect(crmBackoffMs(9, 2000, () => 0.5)).toBe(512_000);
    expect(crmBackoffMs(10, 2000, () => 0.5)).toBe(600_000);
    expect(crmBackoffMs(150, 2000, () => 0.5)).toBe(600_000);
  });

  it('150 attempts span 17 h even at the shortest jitter (about a day on average)', () => {
    let shortest = 0;
    let mean = 0;
    for (let n = 1; n < 150; n += 1) {
      shortest += crmBackoffMs(n, 2000, () => 0);
      mean += crmBackoffMs(n, 2000, () => 0.5);
    }
    expect(shortest).toBeGreaterThan(17 * 3600_000);
    expect(mean).toBeGreaterThan(23 * 3600_000);
  });
});
