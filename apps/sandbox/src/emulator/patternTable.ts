/**
 * The catalogue as a text table, with statistics counted from freshly generated events (not the
 * declared numbers), so a reader can compare them with the old system's pattern table.
 */
import { generateCall } from './generateCall.js';
import { PATTERNS } from './patterns/index.js';
import { patternStats } from './patternStats.js';
import type { PatternStats } from './types.js';

const fmt = (s: PatternStats): string => `${s.events}/${s.uniqueIds}/${s.bridges}/${s.phones}`;
const same = (a: PatternStats, b: PatternStats): boolean =>
  a.events === b.events && a.uniqueIds === b.uniqueIds && a.bridges === b.bridges && a.phones === b.phones;

function histogram(values: readonly number[], buckets: readonly [string, (n: number) => boolean][]): string {
  return buckets.map(([label, test]) => `${label}: ${values.filter(test).length}`).join(', ');
}

export function patternTable(): string[] {
  const rows = PATTERNS.map((p) => {
    const stats = patternStats(generateCall(p.id, { token: 'catalogue', seed: 1, startTime: new Date(0) }));
    return { p, stats };
  });
  const lines = [
    'id     family    dir       events/uids/bridges/phones  seed table      description',
    ...rows.map(({ p, stats }) => {
      const seed = p.fromSeedTable ? `${fmt(p.stats)} ${same(stats, p.stats) ? 'match' : 'DIFF'}` : '';
      return `${p.id.padEnd(6)} ${p.family.padEnd(9)} ${p.direction.padEnd(9)} ${fmt(stats).padEnd(27)} ${seed.padEnd(15)} ${p.description}`;
    }),
    '',
    `${rows.length} patterns. External phones per call: `
      + histogram(rows.map((r) => r.stats.phones), [['0', (n) => n === 0], ['1', (n) => n === 1], ['2', (n) => n === 2], ['3', (n) => n === 3]]),
    'Bridges per call: '
      + histogram(rows.map((r) => r.stats.bridges), [['0', (n) => n === 0], ['1', (n) => n === 1], ['2', (n) => n === 2], ['3', (n) => n === 3], ['4-5', (n) => n >= 4]]),
    `Max UniqueIds per call: ${Math.max(...rows.map((r) => r.stats.uniqueIds))}, max bridges: ${Math.max(...rows.map((r) => r.stats.bridges))}`,
  ];
  return lines;
}
