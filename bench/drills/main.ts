/**
 * `npm run drills` (full) and `npm run drills -- --short` (CI): every drill in turn against the built
 * apps, one row each, printed as a Markdown table and written as JSON to bench/results/. Exit code 1
 * when any row breaks a must-hold rule. `--only pg-cut,fuzz` runs some; `--seed N` changes the bodies.
 *
 * Everything it makes goes at the end, also on failure or Ctrl-C: processes, the private Redis and
 * its directory, the PostgreSQL database, spool directories.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { badBotToken } from './drills/badBotToken.js';
import { coldStart } from './drills/coldStart.js';
import { fuzz } from './drills/fuzz.js';
import { pgCut, pgFlaps } from './drills/pgCut.js';
import { portClash } from './drills/portClash.js';
import { redisRestart } from './drills/redisRestart.js';
import { workersKill } from './drills/workersKill.js';
import { FORMS } from './form.js';
import { loadEmulator } from './hosts.js';
import { runDrill, runningStacks, type Drill } from './kit.js';
import { failures, markdownFindings, markdownTable, type DrillRow } from './report.js';
import { Suite } from './suite.js';

// This file runs from bench/dist/drills/bench/drills/.
const root = fileURLToPath(new URL('../../../../../', import.meta.url));

const DRILLS: Record<string, Drill> = {
  'workers-kill': workersKill,
  'pg-cut': pgCut,
  'pg-flaps': pgFlaps,
  'redis-restart': redisRestart,
  'cold-start': coldStart,
  fuzz,
  'port-clash': portClash,
  'bad-bot-token': badBotToken,
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const form = FORMS[process.argv.includes('--short') ? 'short' : 'full'];
const seed = Number(arg('seed') ?? 20261201);
const only = arg('only')?.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = only?.filter((s) => !DRILLS[s]) ?? [];
if (unknown.length) {
  console.error(`unknown drills: ${unknown.join(', ')}; known: ${Object.keys(DRILLS).join(', ')}`);
  process.exit(2);
}
const chosen = Object.entries(DRILLS).filter(([slug]) => !only || only.includes(slug));

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
})();

const suite = new Suite(root, process.env.DRILLS_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
let interrupted = false;
// Ctrl-C: stop the running drill's processes, remove what the suite made, exit without a table.
const onSignal = (signal: string) => {
  if (interrupted) return;
  interrupted = true;
  console.error(`drills: ${signal}, cleaning up`);
  void Promise.all([...runningStacks].map((s) => s.stop()))
    .then(() => suite.close())
    .catch((err: unknown) => console.error('drills: cleanup failed', err))
    .finally(() => process.exit(130));
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

const rows: DrillRow[] = [];
const started = new Date();
let status = 0;
try {
  await suite.open();
  const emu = await loadEmulator(root);
  const enterprises = [];
  for (let i = 0; i < chosen.length; i += 1) enterprises.push(await suite.addEnterprise(`dr${i + 1}`));
  for (const [i, [slug, drill]] of chosen.entries()) {
    if (interrupted) break;
    console.log(`drill ${i + 1}/${chosen.length}: ${slug} (${form.name})`);
    const row = await runDrill(drill, { suite, emu, form, seed, enterprise: enterprises[i]!, prefix: `{drill${i + 1}}` });
    rows.push(row);
    const why = failures(row);
    console.log(`  ${why.length ? `FAIL: ${why.join('; ')}` : 'pass'} (${row.seconds.toFixed(0)} s)`);
  }
} catch (err) {
  console.error('drills: the harness failed', err);
  status = 2;
} finally {
  await suite.close().catch((err: unknown) => console.error('drills: cleanup failed', err));
}

const failed = rows.filter((r) => failures(r).length > 0);
if (status === 0 && (failed.length || interrupted)) status = 1;
console.log(`\n### Drills (${form.name}), ${started.toISOString().slice(0, 10)}, commit ${commit}\n`);
console.log(markdownTable(rows));
const findings = markdownFindings(rows);
if (findings) console.log(`\nFailing rows:\n\n${findings}`);
console.log(`\n${rows.length - failed.length} of ${chosen.length} drills pass.`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, `bench/results/drills-${form.name}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ form, seed, commit, startedAt: started.toISOString(), rows: rows.map((r) => ({ ...r, failures: failures(r) })) }, null, 2)}\n`);
console.log(`(JSON: ${file})`);
process.exit(status);
