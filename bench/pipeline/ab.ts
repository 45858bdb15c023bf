/**
 * bench/pipeline A/B: two builds (or one build under two settings) measured against each other in
 * alternated rounds, because this machine's speed drifts more within an hour than most changes move
 * it (the INSERT baseline swung 4x in one session). Side A is BENCH_TREE (default: this checkout),
 * side B is BENCH_B_TREE (default: the same tree); BENCH_A_ENV / BENCH_B_ENV add settings to a side
 * ("EVENTS_BATCH_LINGER_MS=0,INGEST_LINGER_MS=0"). BENCH_ROUNDS rounds (3) each run both sides back to
 * back, the order alternating (AB, BA, AB, ...) so a drift falls on both; every run is run.ts in its own
 * process with the same BENCH_* settings and its own Redis and PostgreSQL. Prints, per phase and step,
 * each side's median and range and B/A of the medians; writes bench/results/ab-<time>.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { abRows, type AbRun, type RunResult } from './abTable.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sides = {
  A: { tree: process.env.BENCH_TREE ?? root, env: process.env.BENCH_A_ENV ?? '' },
  B: { tree: process.env.BENCH_B_TREE ?? process.env.BENCH_TREE ?? root, env: process.env.BENCH_B_ENV ?? '' },
};
if (sides.A.tree === sides.B.tree && sides.A.env === sides.B.env) console.log('bench/pipeline A/B: both sides are the same build and settings (an A/A run: the spread is the noise)');

function envOf(list: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new Error(`BENCH_*_ENV: "${kv}" is not NAME=value`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(join(root, 'bench/results'), { recursive: true });
const runs: AbRun[] = [];
for (let r = 1; r <= rounds; r += 1) {
  const order: ('A' | 'B')[] = r % 2 === 1 ? ['A', 'B'] : ['B', 'A'];
  for (const side of order) {
    const file = join(root, `bench/results/ab-${stamp}-r${r}${side}.json`);
    console.log(`round ${r}/${rounds}, side ${side}: tree ${sides[side].tree}${sides[side].env ? `, ${sides[side].env}` : ''}`);
    const p = spawnSync(process.execPath, [join(root, 'bench/dist/pipeline/run.js')], {
      env: { ...process.env, ...envOf(sides[side].env), BENCH_TREE: sides[side].tree, BENCH_RESULT_FILE: file }, stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (p.status !== 0) console.log(`  run exited ${p.status}: kept, but read its log above`);
    try {
      runs.push({ side, round: r, result: JSON.parse(readFileSync(file, 'utf8')) as RunResult });
    } catch (err) {
      console.log(`  no result from this run: ${(err as Error).message}`);
    }
  }
}

const rows = abRows(runs);
console.log(`\nA: ${sides.A.tree}${sides.A.env ? ` (${sides.A.env})` : ''}\nB: ${sides.B.tree}${sides.B.env ? ` (${sides.B.env})` : ''}\n${rounds} rounds, order alternating; median [min–max] of each side`);
console.log('\n| phase | offered calls/s | what | A | B | B/A |\n|---|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.phase} | ${row.callsPerSec} | ${row.what} | ${row.a} | ${row.b} | ${row.ratio} |`);
writeFileSync(join(root, `bench/results/ab-${stamp}.json`), JSON.stringify({ sides, rounds, rows, runs: runs.map((r) => ({ side: r.side, round: r.round })) }, null, 2));
