import { describe, expect, it } from 'vitest';
import { loadConfig } from '@callpipe/config';
import { queues, QUEUE_KEYS } from '@callpipe/queues';
import { queueConcurrency } from './concurrency.js';

describe('queue concurrency from the catalogue', () => {
  it('resolves every queue to a whole number, read from its config variable', () => {
    const c = queueConcurrency(loadConfig({ EVENTS_CONCURRENCY: '5', TELEGRAM_CONCURRENCY: '7' }));
    expect(Object.keys(c).sort()).toEqual([...QUEUE_KEYS].sort());
    expect(c.events).toBe(5);
    expect(c.telegram).toBe(7);
    for (const key of QUEUE_KEYS) expect(Number.isInteger(c[key]) && c[key] >= 1).toBe(true);
  });

  it('names the queue when its definition points at a key that is not a number', () => {
    const def = queues.events as { concurrency: number | string };
    const saved = def.concurrency;
    def.concurrency = 'noSuchConcurrency';
    try {
      expect(() => queueConcurrency(loadConfig({}))).toThrow(/queue events: concurrency noSuchConcurrency/);
    } finally {
      def.concurrency = saved;
    }
  });
});

describe('job log ids from the catalogue', () => {
  it('reads enterprise and call id per queue, and survives malformed data', () => {
    expect(queues.telegram.logIds({ enterprise: '0367', callId: 'c1' })).toEqual({ enterprise: '0367', callId: 'c1' });
    expect(queues.events.logIds({ enterprise: '0367', body: { UniqueId: 'u1' } as never })).toMatchObject({ enterprise: '0367', callId: 'u1' });
    expect(queues.callLog.logIds({ kind: 'telegram', enterprise: '0367', callRef: 'r1' })).toEqual({ enterprise: '0367', callId: 'r1' });
    for (const key of QUEUE_KEYS) expect(() => queues[key].logIds(undefined)).not.toThrow();
  });
});
