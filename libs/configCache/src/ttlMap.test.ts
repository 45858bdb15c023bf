import { describe, expect, it } from 'vitest';
import { TtlMap } from './ttlMap.js';

describe('TtlMap.getOrLoad', () => {
  it('loads once while fresh, again once expired, and keeps nothing from a failed load', async () => {
    const map = new TtlMap<string>(40, 10);
    let loads = 0;
    const load = async () => `v${(loads += 1)}`;
    expect(await map.getOrLoad('k', load)).toBe('v1');
    expect(await map.getOrLoad('k', load)).toBe('v1');
    await new Promise((r) => setTimeout(r, 60));
    expect(await map.getOrLoad('k', load)).toBe('v2');
    await expect(map.getOrLoad('x', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(map.get('x', Date.now())).toBeUndefined();
  });
});
