import { describe, expect, it } from 'vitest';
import { generateCall } from './generateCall.js';
import { PATTERNS } from './patterns/index.js';
import { patternStats } from './patternStats.js';

/** The old system's recorded pattern table: events / UniqueIds / bridges / distinct external phones. */
const SEED_TABLE: Record<string, [number, number, number, number]> = {
  '1-1': [9, 2, 1, 1],
  '2-18': [45, 8, 5, 1],
  '2-23': [39, 8, 4, 2],
  '2-8': [37, 9, 3, 3],
  '2-25': [34, 9, 3, 2],
  '2-7': [31, 9, 3, 3],
  '2-28': [30, 6, 3, 2],
  '2-9': [27, 8, 2, 3],
  '2-24': [27, 6, 4, 2],
  '2-20': [27, 6, 3, 1],
};

const computed = (id: string, seed = 1) => patternStats(generateCall(id, { token: 't', seed, startTime: new Date('2025-11-06T11:00:00Z') }));

describe('pattern catalogue', () => {
  it.each(Object.entries(SEED_TABLE))('%s reproduces the seed statistics, counted from its events', (id, [events, uniqueIds, bridges, phones]) => {
    for (const seed of [1, 2, 3]) {
      expect(computed(id, seed)).toEqual({ events, uniqueIds, bridges, phones });
    }
  });

  it('every pattern produces the statistics it declares', () => {
    for (const p of PATTERNS) expect(computed(p.id), p.id).toEqual(p.stats);
  });

  it('marks exactly the seed table\'s patterns as such', () => {
    expect(PATTERNS.filter((p) => p.fromSeedTable).map((p) => p.id).sort()).toEqual(Object.keys(SEED_TABLE).sort());
  });

  it('covers the families 1-1..1-10, 2-1..2-15, 2-18, 2-20, 2-23..2-29, 3-1..3-3 and our 4-1..4-2', () => {
    const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${from + i}`);
    const expected = [...range('1', 1, 10), ...range('2', 1, 15), '2-18', '2-20', ...range('2', 23, 29), ...range('3', 1, 3), ...range('4', 1, 2)];
    expect(PATTERNS.map((p) => p.id)).toEqual(expected);
    expect(new Set(PATTERNS.map((p) => p.id)).size).toBe(PATTERNS.length);
    for (const p of PATTERNS) {
      expect(p.family).toBe({ 1: 'simple', 2: 'transfer', 3: 'internal', 4: 'separate' }[p.id[0] as '1' | '2' | '3' | '4']);
      expect(p.description.length).toBeGreaterThan(10);
    }
  });

  it('follows the seed\'s distribution of phones and bridges (its 36 patterns and 2-x fillers, not our 4-x)', () => {
    const stats = PATTERNS.filter((p) => p.family !== 'separate').map((p) => ({ id: p.id, ...computed(p.id) }));
    const ids = (f: (s: (typeof stats)[number]) => boolean) => stats.filter(f).map((s) => s.id);
    expect(ids((s) => s.phones === 0)).toEqual(['3-1', '3-2', '3-3']);
    expect(ids((s) => s.phones === 2)).toEqual(['1-2', '2-23', '2-24', '2-25', '2-26', '2-27', '2-28', '2-29']);
    expect(ids((s) => s.phones === 3)).toEqual(['2-5', '2-6', '2-7', '2-8', '2-9', '2-10', '2-11', '2-13', '2-14', '2-15']);
    expect(ids((s) => s.phones === 1)).toHaveLength(16);
    expect(ids((s) => s.bridges === 0)).toHaveLength(6);
    expect(ids((s) => s.bridges === 1).length).toBeGreaterThanOrEqual(12);
    expect(ids((s) => s.bridges === 2)).toHaveLength(8);
    expect(ids((s) => s.bridges === 3)).toHaveLength(7);
    expect(ids((s) => s.bridges >= 4)).toEqual(['2-18', '2-23', '2-24']);
    expect(Math.max(...stats.map((s) => s.uniqueIds))).toBe(9);
    expect(Math.max(...stats.map((s) => s.bridges))).toBe(5);
  });

  it('the 4-x patterns are two records each, and so are the consultations that never became a transfer', () => {
    const twoRecords = ['2-7', '2-9', '2-10', '2-13', '2-15', '2-20', '4-1', '4-2'];
    for (const p of PATTERNS) {
      const call = generateCall(p.id, { token: 't', seed: 5, startTime: new Date('2025-11-06T11:00:00Z') });
      expect(call.records, p.id).toHaveLength(twoRecords.includes(p.id) ? 2 : 1);
      expect(call.expected).toBe(call.records[0]);
    }
  });

  it('4-1: the manager on hold with X calls Y from a second line while the call with X is up', () => {
    const call = generateCall('4-1', { token: 't', seed: 5, startTime: new Date('2025-11-06T11:00:00Z'), phones: ['375291111111', '375292222222'] });
    const [x, y] = call.records;
    expect(x).toMatchObject({ direction: 'in', answered: true, externalPhones: ['375291111111'], bridgeCount: 1 });
    expect(y).toMatchObject({ direction: 'out', answered: true, externalPhones: ['375292222222'], bridgeCount: 1 });
    // Y's call lies inside X's, made by the extension that talks with X, and shares no id with it.
    expect(Date.parse(y!.startedAt)).toBeGreaterThan(Date.parse(x!.startedAt));
    expect(Date.parse(y!.endedAt)).toBeLessThan(Date.parse(x!.endedAt));
    const dialY = call.events.find((e) => e.record === 1 && e.type === 'dial')!;
    const talkerX = call.events.find((e) => e.record === 0 && e.type === 'bridge' && e.body.UniqueId !== x!.uniqueIds[0])!;
    expect(dialY.body.CallerIDNum).toBe(talkerX.body.CallerIDNum);
    expect(x!.uniqueIds.filter((u) => y!.uniqueIds.includes(u))).toEqual([]);
    expect(call.events.filter((e) => e.type === 'hangup').map((e) => e.record)).toEqual([1, 0]);
  });

  it('4-2: the same customer calls back 10 s after hanging up on a missed call', () => {
    const call = generateCall('4-2', { token: 't', seed: 5, startTime: new Date('2025-11-06T11:00:00Z'), phones: ['375291111111'] });
    const [missed, callback] = call.records;
    expect(missed).toMatchObject({ direction: 'in', answered: false, externalPhones: ['375291111111'], bridgeCount: 0 });
    expect(callback).toMatchObject({ direction: 'in', answered: true, externalPhones: ['375291111111'], bridgeCount: 1 });
    expect(Date.parse(callback!.startedAt) - Date.parse(missed!.endedAt)).toBeGreaterThanOrEqual(10_000);
    expect(Date.parse(callback!.startedAt) - Date.parse(missed!.endedAt)).toBeLessThan(10_100);
    const rung = (r: number) => call.events.filter((e) => e.record === r && e.type === 'new_callerid').map((e) => e.body.CallerIDNum);
    expect(rung(1)).toEqual(rung(0));
  });

  it('internal calls carry CallType 2 and no outside number', () => {
    for (const p of PATTERNS.filter((x) => x.family === 'internal')) {
      const call = generateCall(p.id, { token: 't', seed: 5, startTime: new Date() });
      expect(call.events.filter((e) => e.body.CallType !== undefined).every((e) => e.body.CallType === 2)).toBe(true);
      expect(call.expected.direction).toBe('internal');
    }
  });
});
