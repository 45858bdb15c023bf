/** Re-sends the failed events of a parsed failure log to `POST {base}/recovery/{event}`, in file order. */
import { eventPath } from '@callpipe/events';
import type { FailureLogEntry } from './failureLog.js';
import { eventUrl, postEvent, type FetchFn } from './postEvent.js';

export interface ReplayOptions {
  baseUrl: string;
  requestTimeoutMs?: number;
  fetch?: FetchFn;
}

export interface ReplayReport {
  /** Acked by the ingest service. */
  replayed: number;
  /** Not sent: already delivered, body not kept, or not a failure-log line. */
  skipped: number;
  /** Sent but not acked. */
  failed: number;
  skippedByReason: Record<string, number>;
  failures: { lineNo: number; event: string; uniqueId: string; error: string }[];
}

function skipReason(e: Exclude<FailureLogEntry, { kind: 'replayable' }>): string {
  if (e.kind === 'delivered') return 'already delivered';
  if (e.kind === 'unreplayable') return e.reason;
  return 'invalid line';
}

export async function replayFailureLog(entries: readonly FailureLogEntry[], opts: ReplayOptions): Promise<ReplayReport> {
  const fetchFn = opts.fetch ?? fetch;
  const report: ReplayReport = { replayed: 0, skipped: 0, failed: 0, skippedByReason: {}, failures: [] };
  // One at a time: events of a call must reach the service in the order the host produced them.
  for (const e of entries) {
    if (e.kind !== 'replayable') {
      const reason = skipReason(e);
      report.skipped += 1;
      report.skippedByReason[reason] = (report.skippedByReason[reason] ?? 0) + 1;
      continue;
    }
    const outcome = await postEvent(fetchFn, eventUrl(opts.baseUrl, eventPath(e.event, true)), e.body, opts.requestTimeoutMs ?? 5_000);
    if (outcome.acked) {
      report.replayed += 1;
    } else {
      report.failed += 1;
      report.failures.push({ lineNo: e.lineNo, event: e.event, uniqueId: e.uniqueId, error: outcome.error });
    }
  }
  return report;
}
