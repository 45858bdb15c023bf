/**
 * PostgreSQL cut while hosts post: every open connection reset and new ones refused for the form's
 * outage (30 s full), then back. Processes must ride it out; acked events are stored once it is back.
 */
import type { Drill } from '../kit.js';
import { sleep } from '../ports.js';
import type { DrillCheck } from '../report.js';
import { healthNames } from './healthProbe.js';
import { streamCalls } from './streaming.js';

export const pgCut: Drill = {
  name: 'PostgreSQL cut',
  async run(ctx, stack) {
    await stack.startAll();
    const proxy = ctx.suite.pgProxy;
    const stream = streamCalls(ctx, stack);
    const checks: DrillCheck[] = [];
    try {
      await sleep(2_000);
      await proxy.setMode('refuse');
      proxy.cutAll();
      await sleep(Math.min(3_000, ctx.form.pgCutSeconds * 500));
      checks.push(await healthNames('workers', `http://127.0.0.1:${stack.ports.workers}/health`, /postgres/i));
      checks.push(await healthNames('gateway', `http://127.0.0.1:${stack.ports.gateway}/health`, /postgres/i));
      await sleep(ctx.form.pgCutSeconds * 1000 - Math.min(3_000, ctx.form.pgCutSeconds * 500));
    } finally {
      await proxy.setMode('forward');
    }
    await stream.done;
    return { fault: `PostgreSQL cut ${ctx.form.pgCutSeconds} s`, ledger: stream.ledger, outages: 1, checks };
  },
};

export const pgFlaps: Drill = {
  name: 'PostgreSQL flaps',
  async run(ctx, stack) {
    const proxy = ctx.suite.pgProxy;
    proxy.latencyMs = ctx.form.pgLatencyMs;
    try {
      await stack.startAll();
      const stream = streamCalls(ctx, stack);
      try {
        for (let i = 0; i < ctx.form.pgFlaps; i += 1) {
          await sleep(ctx.form.pgFlapSeconds * 1000);
          await proxy.setMode('refuse');
          proxy.cutAll();
          await sleep(ctx.form.pgFlapSeconds * 1000);
          await proxy.setMode('forward');
        }
      } finally {
        await proxy.setMode('forward');
      }
      await stream.done;
      return {
        fault: `PostgreSQL cut ${ctx.form.pgFlaps}× ${ctx.form.pgFlapSeconds} s, +${ctx.form.pgLatencyMs} ms latency`,
        ledger: stream.ledger, outages: ctx.form.pgFlaps,
      };
    } finally {
      proxy.latencyMs = 0;
    }
  },
};
