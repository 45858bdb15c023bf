import { describe, expect, it } from 'vitest';
import { LocalLocks } from './localLocks.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('LocalLocks', () => {
  it('runs holders of a shared key one at a time, in arrival order, and others at once', async () => {
    const locks = new LocalLocks();
    const log: string[] = [];
    const job = (name: string, keys: string[]) => locks.run(keys, async () => { log.push(`${name}+`); await tick(); log.push(`${name}-`); });
    await Promise.all([job('a', ['x', 'y']), job('b', ['y']), job('c', ['z'])]);
    // c shares nothing and starts at once; b waits for a.
    expect(log.indexOf('c+')).toBeLessThan(log.indexOf('a-'));
    expect(log.indexOf('b+')).toBeGreaterThan(log.indexOf('a-'));
    expect(locks.size).toBe(0);
  });

  it('never deadlocks on overlapping key sets taken in any order, and releases on failure', async () => {
    const locks = new LocalLocks();
    let inside = 0;
    let most = 0;
    const sets = [['a', 'b'], ['b', 'a'], ['b', 'c'], ['c', 'a'], ['a'], ['c', 'b', 'a']];
    await Promise.all(Array.from({ length: 60 }, (_, i) => locks.run(sets[i % sets.length]!, async () => {
      inside += 1;
      most = Math.max(most, inside);
      await tick();
      inside -= 1;
      if (i % 7 === 0) throw new Error('boom');
    }).catch(() => undefined)));
    // Every set shares a key with every other: never two at once.
    expect(most).toBe(1);
    expect(locks.size).toBe(0);
  });
});
