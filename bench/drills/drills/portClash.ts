/**
 * A second ingest, gateway and workers started on ports the first ones hold (a Procfile scaled to two
 * on one host): ingest and gateway must exit non-zero with a short error, workers must run side by side.
 */
import type { Drill } from '../kit.js';
import { sleep } from '../ports.js';
import type { DrillCheck } from '../report.js';
import { streamCalls } from './streaming.js';

/** Longest wait for the second ingest and gateway to give up (a loaded machine starts node slowly). */
const WATCH_MS = 20_000;
/** "A clear one-line error": a few lines at most, not a stack trace. */
const MAX_LINES = 3;

export const portClash: Drill = {
  name: 'port clash',
  async run(ctx, stack) {
    await stack.startAll();
    const stream = streamCalls(ctx, stack);
    const ingest2 = stack.start('ingest', { label: 'ingest#2', restart: false, expectExit: true });
    const gateway2 = stack.start('gateway', { label: 'gateway#2', restart: false, expectExit: true });
    const workers2 = stack.start('workers', { label: 'workers#2' });
    const t0 = Date.now();
    while (Date.now() - t0 < WATCH_MS && (ingest2.running || gateway2.running)) await sleep(250);
    // Whatever happened to those two, give the second workers time to hit (or not) the taken health port.
    await sleep(Math.max(0, 5_000 - (Date.now() - t0)));
    const checks: DrillCheck[] = [];
    for (const p of [ingest2, gateway2]) {
      const exit = p.exits[0];
      const lines = stack.logs.byProc.get(p.label) ?? 0;
      const ok = exit !== undefined && exit.code !== 0 && exit.code !== null && lines <= MAX_LINES;
      checks.push({
        name: `${p.label} exits non-zero with a short error`, ok,
        detail: ok ? undefined : exit ? `exit ${exit.signal ?? exit.code} after ${lines} log lines` : `still running after ${WATCH_MS / 1000} s (${lines} log lines)`,
      });
    }
    await stream.done;
    // Judged after the stream: on a loaded machine the second workers may reach its health port late.
    checks.push({ name: 'workers#2 runs beside workers', ok: workers2.running && workers2.crashes.length === 0, detail: `${workers2.crashes.length} crashes` });
    return { fault: 'second ingest, gateway, workers on taken ports', ledger: stream.ledger, outages: 0, checks };
  },
};
