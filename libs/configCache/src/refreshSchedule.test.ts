import { describe, expect, it } from 'vitest';
import { nextRefreshDelayMs } from './refreshSchedule.js';

describe('full refresh schedule', () => {
  it('stays within 240 s ± 60 s whatever the random draw', () => {
    expect(nextRefreshDelayMs(240_000, 60_000, () => 0)).toBe(180_000);
    expect(nextRefreshDelayMs(240_000, 60_000, () => 0.5)).toBe(240_000);
    expect(nextRefreshDelayMs(240_000, 60_000, () => 0.999999)).toBeLessThanOrEqual(300_000);
    const delays = Array.from({ length: 10_000 }, () => nextRefreshDelayMs(240_000, 60_000));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(180_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(300_000);
  });

  it('spreads processes over the whole window rather than bunching them', () => {
    const delays = Array.from({ length: 2_000 }, () => nextRefreshDelayMs(240_000, 60_000));
    expect(Math.min(...delays)).toBeLessThan(186_000);
    expect(Math.max(...delays)).toBeGreaterThan(294_000);
    expect(new Set(delays.map((d) => Math.floor(d / 10_000))).size).toBe(12);
  });

  it('clamps a random source that strays out of [0, 1)', () => {
    expect(nextRefreshDelayMs(1_000, 100, () => -3)).toBe(900);
    expect(nextRefreshDelayMs(1_000, 100, () => 7)).toBe(1_100);
  });
});
