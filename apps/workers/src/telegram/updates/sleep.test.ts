import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from './updateSource.js';

describe('the update source\'s wait', () => {
  it('leaves no abort listener behind once its time is up, and ends at once when aborted', async () => {
    const c = new AbortController();
    for (let i = 0; i < 30; i += 1) await sleep(1, c.signal);
    expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);

    const started = performance.now();
    const long = sleep(60_000, c.signal);
    expect(getEventListeners(c.signal, 'abort')).toHaveLength(1);
    c.abort();
    await long;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);
  });
});
