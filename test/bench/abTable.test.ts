/** bench/pipeline's A/B table: medians, ranges and B/A from alternated runs, without I/O. */
import { describe, expect, it } from 'vitest';
import { abRows, median, type AbRun, type RunStep } from '../../bench/pipeline/abTable.js';

const step = (callsPerSec: number, sustained: number, cores: Record<string, number>, telegramP99: number | null = null): RunStep => ({
  callsPerSec, sustainedEventsPerSec: sustained, saturated: sustained < callsPerSec * 17, cpu: cores,
  ackMs: { p99: 50 }, recordCompleteMs: { p99: 100 }, finalTelegramMs: telegramP99 === null ? null : { p99: telegramP99 },
});

const run = (side: 'A' | 'B', round: number, sustained: number, insert: number): AbRun => ({
  side, round, result: {
    phases: [{
      name: 'telegram', costs: { redisCommandsPerEvent: side === 'A' ? 40 : 30, sqlStatementsPerEvent: 2, transactionsPerEvent: 1 },
      steps: [step(10, sustained, { 'workers#1': 0.5, postgres: 0.3, redis: 0.1, 'ingest#1': 0.1, 'bench (hosts)': 0.2, sandbox: 0.1 }, 600)],
    }],
    baselines: [{ name: 'plain single-row INSERT (8 connections)', perSec: insert }],
  },
});

describe('bench/pipeline A/B table', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('gives each side median [min–max] and B/A of the medians, per step and per phase', () => {
    const rows = abRows([run('A', 1, 100, 3000), run('B', 1, 125, 2900), run('B', 2, 150, 1000), run('A', 2, 120, 1100), run('A', 3, 110, 2000), run('B', 3, 140, 2100)]);
    const row = (what: string) => rows.find((r) => r.what.startsWith(what))!;
    expect(row('sustained')).toEqual({ phase: 'telegram', callsPerSec: 10, what: 'sustained events/s', a: '110 [100–120]', b: '140 [125–150]', ratio: '1.273' });
    // ours = workers + postgres + redis + ingest = 1.0 core; at 110 events/s (A's median run) 9.09 ms, at 140 7.14.
    expect(row('CPU ms an event: ours')).toMatchObject({ a: '9.09 [8.33–10.00]', b: '7.14 [6.67–8.00]', ratio: '0.786' });
    expect(row('CPU ms an event: hosts')).toMatchObject({ a: '2.73 [2.50–3.00]' });
    expect(row('ack → final Telegram')).toMatchObject({ a: '600 [600–600]', ratio: '1.000' });
    expect(row('Redis commands')).toMatchObject({ callsPerSec: '-', a: '40.00 [40.00–40.00]', b: '30.00 [30.00–30.00]', ratio: '0.750' });
    expect(row('plain single-row INSERT')).toMatchObject({ phase: 'baseline', a: '2000 [1100–3000]', b: '2100 [1000–2900]' });
  });

  it('leaves out a figure neither side has (no Telegram in a calllog phase)', () => {
    const a = run('A', 1, 100, 3000);
    a.result.phases[0]!.steps[0]!.finalTelegramMs = null;
    const b = run('B', 1, 100, 3000);
    b.result.phases[0]!.steps[0]!.finalTelegramMs = null;
    expect(abRows([a, b]).some((r) => r.what.includes('Telegram'))).toBe(false);
  });
});
