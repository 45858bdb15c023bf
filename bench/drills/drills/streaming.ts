/** Emulated hosts posting real calls through one drill, at the form's rate, answers in a ledger. */
import { emulatedCalls, postCalls } from '../hosts.js';
import type { DrillContext } from '../kit.js';
import { Ledger } from '../ledger.js';
import type { Stack } from '../stack.js';

export interface Stream {
  ledger: Ledger;
  done: Promise<void>;
  /** How long starting the calls takes (the last call's own events come after). */
  spanMs: number;
}

export function streamCalls(ctx: DrillContext, stack: Stack, opts: { calls?: number; token?: string; ledger?: Ledger } = {}): Stream {
  const token = opts.token ?? ctx.enterprise.token;
  const ledger = opts.ledger ?? new Ledger(new Set([token]));
  const calls = emulatedCalls(ctx.emu, token, ctx.seed, opts.calls ?? ctx.form.calls);
  const done = postCalls(ctx.emu, calls, ledger, {
    baseUrl: stack.ingestUrl, rate: ctx.form.callRate, speed: ctx.form.speed, maxDurationMs: 180_000,
  });
  return { ledger, done, spanMs: (calls.length / ctx.form.callRate) * 1000 };
}
