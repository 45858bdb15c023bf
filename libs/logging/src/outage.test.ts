import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Outage, probeWithin, valueWithin } from './index.js';

function captured(): { log: pino.Logger; lines: () => { level: number; msg: string; downForMs?: number; failures?: number }[] } {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } });
  return { log: pino({}, sink), lines: () => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

describe('dependency outage log', () => {
  it('writes one line when an outage starts, a reminder per period while it lasts, one when it ends', () => {
    let now = 0;
    const { log, lines } = captured();
    const o = new Outage('postgresql', log, { remindEveryMs: 10_000, now: () => now });
    // 30 s of failures, 300 a second (a queue of jobs all failing): 9,000 errors.
    for (let t = 0; t < 30_000; t += 10) {
      now = t;
      for (let i = 0; i < 3; i++) o.down(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    }
    expect(o.isUp()).toBe(false);
    expect(o.state()).toMatchObject({ up: false, failures: 9000, lastError: 'connect ECONNREFUSED 127.0.0.1:5432' });
    now = 31_000;
    o.up();
    o.up(); // a second "answered" is not a second end
    const msgs = lines().map((l) => l.msg);
    expect(msgs).toEqual(['postgresql unavailable', 'postgresql still unavailable', 'postgresql still unavailable', 'postgresql is back']);
    expect(lines()[3]).toMatchObject({ downForMs: 31_000, failures: 9000 });
    expect(o.state()).toEqual({ up: true, failures: 0 });
  });

  it('logs nothing while the dependency answers', () => {
    const { log, lines } = captured();
    const o = new Outage('redis', log);
    o.up();
    expect(lines()).toEqual([]);
  });
});

describe('bounded probes', () => {
  it('answers false when the probe hangs, within the bound', async () => {
    const started = Date.now();
    expect(await probeWithin(() => new Promise(() => undefined), 100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
    expect(await probeWithin(() => Promise.reject(new Error('x')), 100)).toBe(false);
    expect(await probeWithin(() => Promise.resolve(1), 100)).toBe(true);
    expect(await valueWithin(() => Promise.resolve(7), 100)).toBe(7);
  });
});
