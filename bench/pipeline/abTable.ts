/**
 * The A/B table of bench/pipeline/ab.ts, pure: runs in, one row per phase, offered step and figure,
 * each side's median and range, and B/A of the medians.
 */

interface Pcts { p99: number }
export interface RunStep {
  callsPerSec: number;
  sustainedEventsPerSec: number;
  saturated: boolean;
  /** Cores used over the step, by process label (`workers#1`, `postgres`, `bench (hosts)`, ...). */
  cpu: Record<string, number>;
  ackMs: Pcts;
  recordCompleteMs: Pcts;
  finalTelegramMs: Pcts | null;
}
export interface RunResult {
  phases: { name: string; steps: RunStep[]; costs: { redisCommandsPerEvent: number; sqlStatementsPerEvent: number; transactionsPerEvent: number } }[];
  baselines: { name: string; perSec: number }[];
}
export interface AbRun { side: 'A' | 'B'; round: number; result: RunResult }
export interface AbRow { phase: string; callsPerSec: number | '-'; what: string; a: string; b: string; ratio: string }

export function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Our processes: what an event costs the system itself, without the emulated hosts and the sandbox's stand-ins. */
const OURS = /^(workers|ingest|gateway|redis|postgres)/;

function msPerEvent(s: RunStep, pick: (label: string) => boolean): number {
  const cores = Object.entries(s.cpu).filter(([k]) => pick(k)).reduce((n, [, v]) => n + v, 0);
  return s.sustainedEventsPerSec > 0 ? (cores * 1000) / s.sustainedEventsPerSec : NaN;
}

const fmt = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? String(Math.round(x)) : x.toFixed(2)) : '-');

function cell(xs: number[]): string {
  const ok = xs.filter(Number.isFinite);
  if (ok.length === 0) return '-';
  return ok.length === 1 ? fmt(ok[0]!) : `${fmt(median(ok))} [${fmt(Math.min(...ok))}–${fmt(Math.max(...ok))}]`;
}

function ratio(a: number[], b: number[]): string {
  const ma = median(a.filter(Number.isFinite));
  const mb = median(b.filter(Number.isFinite));
  return Number.isFinite(ma) && Number.isFinite(mb) && ma !== 0 ? (mb / ma).toFixed(3) : '-';
}

const STEP_FIGURES: { what: string; of: (s: RunStep) => number }[] = [
  { what: 'sustained events/s', of: (s) => s.sustainedEventsPerSec },
  { what: 'saturated (1 = backlog grew)', of: (s) => (s.saturated ? 1 : 0) },
  { what: 'CPU ms an event: ours (workers, ingest, gateway, Redis, PostgreSQL)', of: (s) => msPerEvent(s, (k) => OURS.test(k)) },
  { what: 'CPU ms an event: hosts + sandbox', of: (s) => msPerEvent(s, (k) => !OURS.test(k)) },
  { what: 'ack p99 ms', of: (s) => s.ackMs.p99 },
  { what: 'ack → record p99 ms', of: (s) => s.recordCompleteMs.p99 },
  { what: 'ack → final Telegram p99 ms', of: (s) => s.finalTelegramMs?.p99 ?? NaN },
];

const PHASE_FIGURES: { what: string; of: (c: RunResult['phases'][number]['costs']) => number }[] = [
  { what: 'Redis commands an event', of: (c) => c.redisCommandsPerEvent },
  { what: 'SQL statements an event', of: (c) => c.sqlStatementsPerEvent },
  { what: 'transactions an event', of: (c) => c.transactionsPerEvent },
];

export function abRows(runs: AbRun[]): AbRow[] {
  const side = (s: 'A' | 'B') => runs.filter((r) => r.side === s).map((r) => r.result);
  const a = side('A');
  const b = side('B');
  const rows: AbRow[] = [];
  const phaseNames = [...new Set(runs.flatMap((r) => r.result.phases.map((p) => p.name)))];
  for (const phase of phaseNames) {
    const phasesOf = (rs: RunResult[]) => rs.flatMap((r) => r.phases.filter((p) => p.name === phase));
    const steps = [...new Set(phasesOf([...a, ...b]).flatMap((p) => p.steps.map((s) => s.callsPerSec)))].sort((x, y) => x - y);
    for (const calls of steps) {
      const stepOf = (rs: RunResult[]) => phasesOf(rs).flatMap((p) => p.steps.filter((s) => s.callsPerSec === calls));
      for (const f of STEP_FIGURES) {
        const xa = stepOf(a).map(f.of);
        const xb = stepOf(b).map(f.of);
        if (![...xa, ...xb].some(Number.isFinite)) continue;
        rows.push({ phase, callsPerSec: calls, what: f.what, a: cell(xa), b: cell(xb), ratio: ratio(xa, xb) });
      }
    }
    for (const f of PHASE_FIGURES) {
      const xa = phasesOf(a).map((p) => f.of(p.costs));
      const xb = phasesOf(b).map((p) => f.of(p.costs));
      rows.push({ phase, callsPerSec: '-', what: f.what, a: cell(xa), b: cell(xb), ratio: ratio(xa, xb) });
    }
  }
  const names = [...new Set(runs.flatMap((r) => r.result.baselines.map((x) => x.name)))];
  for (const name of names) {
    const of = (rs: RunResult[]) => rs.flatMap((r) => r.baselines.filter((x) => x.name === name).map((x) => x.perSec));
    rows.push({ phase: 'baseline', callsPerSec: '-', what: `${name} /s`, a: cell(of(a)), b: cell(of(b)), ratio: ratio(of(a), of(b)) });
  }
  return rows;
}
