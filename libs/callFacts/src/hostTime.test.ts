import { describe, expect, it } from 'vitest';
import { isTimeZone, localClock, parseHostTime } from './hostTime.js';

describe('host times: the PBX wall clock read in the enterprise\'s zone', () => {
  it('reads seed 004\'s form in Minsk (UTC+3 all year)', () => {
    const t = parseHostTime('2025-09-30 11:15:02', 'Europe/Minsk');
    expect(t?.at.toISOString()).toBe('2025-09-30T08:15:02.000Z');
    expect(t?.local).toBe('2025-09-30 11:15:02');
  });

  it('follows daylight saving where the zone has it', () => {
    expect(parseHostTime('2025-07-01 12:00:00', 'Europe/Berlin')?.at.toISOString()).toBe('2025-07-01T10:00:00.000Z');
    expect(parseHostTime('2025-01-15 12:00:00', 'Europe/Berlin')?.at.toISOString()).toBe('2025-01-15T11:00:00.000Z');
    expect(parseHostTime('2025-03-30 03:30:00', 'Europe/Berlin')?.at.toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });

  it('takes an explicit zone suffix over the enterprise\'s zone, and a "T" separator', () => {
    expect(parseHostTime('2025-09-30T11:15:02Z', 'Europe/Minsk')?.at.toISOString()).toBe('2025-09-30T11:15:02.000Z');
    expect(parseHostTime('2025-09-30 11:15:02+01:00', 'Europe/Minsk')?.local).toBe('2025-09-30 13:15:02');
    expect(parseHostTime('2025-09-30T11:15', 'UTC')?.at.toISOString()).toBe('2025-09-30T11:15:00.000Z');
  });

  it('refuses what is not a time: empty, missing, numbers, impossible dates', () => {
    for (const raw of ['', undefined, null, 1759230902, 'yesterday', '2025-02-30 10:00:00', '2025-09-30 25:00:00']) {
      expect(parseHostTime(raw, 'Europe/Minsk')).toBeNull();
    }
  });

  it('knows zones and writes an instant back as the PBX would', () => {
    expect(isTimeZone('Europe/Minsk')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(localClock(Date.parse('2025-09-30T08:15:02Z'), 'Europe/Minsk')).toBe('2025-09-30 11:15:02');
  });

  it('reads the same wall clock as Intl around offset changes, the kept offsets included (read twice)', () => {
    const intl = (ms: number, timeZone: string): string => {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
      const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
    };
    const cases: [string, string][] = [
      ['Europe/Berlin', '2025-03-30T00:58:00Z'], ['Europe/Berlin', '2025-10-26T00:58:00Z'],
      ['America/New_York', '2025-11-02T05:58:00Z'], ['Australia/Lord_Howe', '2025-04-05T14:58:00Z'],
      // Liberia left −0:44:30 on 1972-01-07 at 00:44:30 UTC: a change in the middle of a minute.
      ['Africa/Monrovia', '1972-01-07T00:43:00Z'],
    ];
    for (const [zone, from] of cases) {
      const start = Date.parse(from);
      for (let pass = 0; pass < 2; pass += 1) {
        for (let s = 0; s < 240; s += 7) expect(localClock(start + s * 1000 + 250, zone), `${zone} +${s}s`).toBe(intl(start + s * 1000 + 250, zone));
      }
    }
  });
});

