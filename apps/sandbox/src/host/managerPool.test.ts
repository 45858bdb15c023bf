import { describe, expect, it } from 'vitest';
import { ManagerPool } from './managerPool.js';

describe('ManagerPool', () => {
  it('gives each call three managers free for its length, the longest idle first', () => {
    const pool = new ManagerPool(['150', '151', '152', '153', '154', '155', '156']);
    const first = pool.pick();
    expect(first).toEqual(['150', '151', '152']);
    pool.hold(first, 60_000);
    const second = pool.pick();
    expect(second).toEqual(['153', '154', '155']);
    pool.hold(second, 30_000);
    expect(pool.busyAt(10_000)).toBe(6);
    // Only 156 is idle now; then those free soonest (the second call's).
    expect(pool.pick()).toEqual(['156', '153', '154']);
    expect(pool.busyAt(45_000)).toBe(3);
  });

  it('refuses fewer than three managers', () => {
    expect(() => new ManagerPool(['150', '150', '151'])).toThrow(/three/);
  });
});
