import { describe, expect, it } from 'vitest';
import { failures, markdownFindings, markdownTable, type DrillRow } from '../../bench/drills/report.js';

const clean: DrillRow = {
  drill: 'PostgreSQL cut', fault: 'PostgreSQL cut 8 s', posted: 600, acked: 600, storedOnce: 600, lost: 0, duplicated: 0,
  answers5xx: 3, answers500: 0, validAnswered403: 0, restarts: 0, crashes: 0, logLines: 120, loudLogLines: 12, logBudget: 60,
  seconds: 31.4, checks: [{ name: 'workers /health during the outage', ok: true }], notes: ['answers: 200×600'],
};

describe('drill report', () => {
  it('passes a row that keeps every rule (503s are allowed: the host retries them)', () => {
    expect(failures(clean)).toEqual([]);
    expect(markdownTable([clean])).toContain('| PostgreSQL cut | PostgreSQL cut 8 s | 600 | 600 | 600 | 0 | 0 | 3 | 0 | 0 | 0 | 0 | 120 | 12 (60) | 31 | pass |');
    expect(markdownFindings([clean])).toBe('');
  });

  it('fails a row for each must-hold rule it breaks, and says which', () => {
    const bad: DrillRow = {
      ...clean, lost: 2, duplicated: 1, crashes: 3, answers500: 4, validAnswered403: 5, loudLogLines: 61,
      checks: [{ name: 'workers /health during the outage', ok: false, detail: 'no answer within 3000 ms' }],
    };
    expect(failures(bad)).toEqual([
      '2 acked events lost', '1 events stored twice', '3 process crashes', '4 answers of 500', '5 valid events answered 403',
      '61 warn/error log lines (budget 60)', 'workers /health during the outage: no answer within 3000 ms',
    ]);
    expect(markdownTable([bad])).toMatch(/\| \*\*FAIL\*\* \|$/);
    expect(markdownFindings([clean, bad])).toBe(
      `- **PostgreSQL cut**: ${failures(bad).join('; ')}\n  - answers: 200×600`,
    );
  });

  it('allows exactly the budget of loud log lines', () => {
    expect(failures({ ...clean, loudLogLines: 60 })).toEqual([]);
  });
});
