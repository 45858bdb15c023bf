/**
 * One row per drill and the rules every row must hold (0 lost, 0 duplicated, 0 crashes, 0 answers
 * of 500, 0 valid events answered 403, log lines within the drill's budget, its own checks), printed
 * as one Markdown table. Pure: no I/O.
 */

export interface DrillCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface DrillRow {
  drill: string;
  /** The fault as this run applied it ("PostgreSQL cut 8 s"). */
  fault: string;
  /** Requests sent. */
  posted: number;
  /** Distinct events acked (a resend of the same content counts once). */
  acked: number;
  /** Acked events found in call_events exactly once (by event key). */
  storedOnce: number;
  /** Acked events not in call_events when the drill's wait ran out. */
  lost: number;
  /** Rows beyond the first with the same content (event type and body). */
  duplicated: number;
  answers5xx: number;
  answers500: number;
  /** Events that pass the schema, carry an active token, and were answered 403. */
  validAnswered403: number;
  /** Processes the drill killed on purpose and the supervisor started again. */
  restarts: number;
  /** Processes that exited on their own; the supervisor started them again. */
  crashes: number;
  logLines: number;
  /** Lines at warn and above, and lines that are not JSON (stack traces); these have the budget. */
  loudLogLines: number;
  logBudget: number;
  seconds: number;
  checks: DrillCheck[];
  /** What explains a failure: the loudest log messages, crash exits, timings. */
  notes: string[];
}

/** Why the row fails; empty when every must-hold rule holds. */
export function failures(row: DrillRow): string[] {
  const out: string[] = [];
  if (row.lost > 0) out.push(`${row.lost} acked events lost`);
  if (row.duplicated > 0) out.push(`${row.duplicated} events stored twice`);
  if (row.crashes > 0) out.push(`${row.crashes} process crashes`);
  if (row.answers500 > 0) out.push(`${row.answers500} answers of 500`);
  if (row.validAnswered403 > 0) out.push(`${row.validAnswered403} valid events answered 403`);
  if (row.loudLogLines > row.logBudget) out.push(`${row.loudLogLines} warn/error log lines (budget ${row.logBudget})`);
  for (const c of row.checks) if (!c.ok) out.push(c.detail ? `${c.name}: ${c.detail}` : c.name);
  return out;
}

const n = (v: number) => v.toLocaleString('en-US');

export function markdownTable(rows: readonly DrillRow[]): string {
  const head = ['Drill', 'Fault', 'Posted', 'Acked', 'Stored once', 'Lost', 'Dup', '5xx', '500', '403 valid', 'Restarts', 'Crashes', 'Log lines', 'Warn+ lines (budget)', 's', 'Result'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i < 2 || i === head.length - 1 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) {
    const failed = failures(r).length > 0;
    lines.push(`| ${[
      r.drill, r.fault, n(r.posted), n(r.acked), n(r.storedOnce), n(r.lost), n(r.duplicated), n(r.answers5xx), n(r.answers500),
      n(r.validAnswered403), n(r.restarts), n(r.crashes), n(r.logLines), `${n(r.loudLogLines)} (${n(r.logBudget)})`, r.seconds.toFixed(0), failed ? '**FAIL**' : 'pass',
    ].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The failing rows' reasons and notes, as a list under the table. */
export function markdownFindings(rows: readonly DrillRow[]): string {
  const out: string[] = [];
  for (const r of rows) {
    const why = failures(r);
    if (!why.length) continue;
    out.push(`- **${r.drill}**: ${why.join('; ')}`);
    for (const note of r.notes) out.push(`  - ${note}`);
  }
  return out.join('\n');
}
