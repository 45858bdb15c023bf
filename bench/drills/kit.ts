/** What every drill does around its fault: a stack of its own, the wait for acked events, the row. */
import { Redis } from 'ioredis';
import { queues } from '@callpipe/queues';
import type * as Emulator from '../../apps/sandbox/src/emulator/index.js';
import type { Form } from './form.js';
import { LOG_LINES_PER_OUTAGE, LOG_LINES_PER_START } from './form.js';
import { Ledger } from './ledger.js';
import { sleep } from './ports.js';
import type { DrillCheck, DrillRow } from './report.js';
import { Stack } from './stack.js';
import type { Suite, SuiteEnterprise } from './suite.js';

export interface DrillContext {
  suite: Suite;
  emu: typeof Emulator;
  form: Form;
  seed: number;
  /** This drill's enterprise (its token is active from the start). */
  enterprise: SuiteEnterprise;
  /** This drill's queue prefix. */
  prefix: string;
}

export interface Drill {
  name: string;
  run(ctx: DrillContext, stack: Stack): Promise<DrillOutcome>;
}

export interface DrillOutcome {
  fault: string;
  ledger: Ledger;
  /** Enterprises whose acked events must all be stored (default: the drill's own). */
  enterprises?: string[];
  outages: number;
  /** Extra log lines the drill allows (e.g. one per rejected request in the fuzz drill). */
  extraLogBudget?: number;
  /** A label per acked key (the fuzz kind), to say which kinds of event were lost. */
  labels?: ReadonlyMap<string, string>;
  checks?: DrillCheck[];
  notes?: string[];
}

export interface Stored {
  storedOnce: number;
  lost: number;
  missing: string[];
  duplicated: number;
  waitedMs: number;
}

/** Waits up to `settleMs` for every acked key to be in call_events, then counts. */
export async function waitStored(suite: Suite, enterprises: readonly string[], ackedKeys: ReadonlySet<string>, settleMs: number): Promise<Stored> {
  const t0 = Date.now();
  const read = async () => {
    const all = new Map<string, number>();
    for (const e of enterprises) for (const [k, n] of await suite.storedKeys(e)) all.set(k, (all.get(k) ?? 0) + n);
    return all;
  };
  let stored = await read();
  const missing = () => [...ackedKeys].filter((k) => !stored.has(k)).length;
  while (missing() > 0 && Date.now() - t0 < settleMs) {
    await sleep(500);
    stored = await read();
  }
  let duplicated = 0;
  for (const e of enterprises) duplicated += await suite.contentDuplicates(e);
  for (const n of stored.values()) duplicated += Math.max(0, n - 1);
  const storedOnce = [...ackedKeys].filter((k) => stored.get(k) === 1).length;
  const missingKeys = [...ackedKeys].filter((k) => !stored.has(k));
  return { storedOnce, lost: missingKeys.length, missing: missingKeys, duplicated, waitedMs: Date.now() - t0 };
}

/** Where the events' jobs are when acked events are missing (events and event-packets queues): still retrying, or failed for good (and why). */
async function eventsQueueState(ctx: DrillContext): Promise<string> {
  const redis = new Redis(ctx.suite.redis!.url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis.on('error', () => undefined);
  const stateOf = async (name: string): Promise<string> => {
    const key = (k: string) => `${ctx.prefix}:${name}:${k}`;
    const [failed, delayed, waiting, active] = await Promise.all([
      redis.zcard(key('failed')), redis.zcard(key('delayed')), redis.llen(key('wait')), redis.llen(key('active')),
    ]);
    const [firstFailed] = await redis.zrange(key('failed'), 0, 0);
    const reason = firstFailed ? await redis.hget(key(firstFailed), 'failedReason') : null;
    return `${name} queue now: ${failed} failed, ${delayed} in backoff, ${waiting} waiting, ${active} active${reason ? `; a failed job's reason: ${reason.slice(0, 160)}` : ''}`;
  };
  try {
    return (await Promise.all([queues.events.name, queues.eventPackets.name].map(stateOf))).join('; ');
  } catch (err) {
    return `events queues' state unreadable: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    redis.disconnect();
  }
}

/** "a×3, b×1", most frequent first. */
export function tally(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k}×${n}`).join(', ');
}

/** The line of a crash's last output that says what happened (the error, not Node's version banner). */
function crashLine(lines: readonly string[]): string {
  const said = lines.find((l) => l.includes('"level":"fatal"')) ?? lines.find((l) => /^\s*\w*Error\b.*:/.test(l))
    ?? lines.find((l) => /error/i.test(l) && !/^\s+at /.test(l)) ?? lines.at(-1);
  return said?.trim().slice(0, 300) ?? '(no output)';
}

/** A drill that could not run to its end (processes never healthy, …) is a failing row, not a harness error. */
function aborted(err: unknown, ctx: DrillContext): DrillOutcome {
  return {
    fault: '(did not run to its end)', ledger: new Ledger(new Set([ctx.enterprise.token])), outages: 0,
    checks: [{ name: 'drill ran to its end', ok: false, detail: err instanceof Error ? err.message : String(err) }],
  };
}

/** The stacks running now, for an interrupted run to stop them before it exits. */
export const runningStacks = new Set<Stack>();

export async function runDrill(drill: Drill, ctx: DrillContext): Promise<DrillRow> {
  const t0 = Date.now();
  const stack = new Stack(ctx.suite, ctx.prefix);
  runningStacks.add(stack);
  await stack.allocatePorts();
  try {
    const out = await drill.run(ctx, stack).catch((err: unknown) => aborted(err, ctx));
    const stored = await waitStored(ctx.suite, out.enterprises ?? [ctx.enterprise.number], out.ledger.ackedKeys, ctx.form.settleMs);
    const crashes = stack.crashes();
    const notes = [...(out.notes ?? [])];
    // Events, not requests: a body acked twice (a resend, the same content) is one event.
    const ackedEvents = out.ledger.ackedKeys.size + out.ledger.unkeyed;
    if (out.ledger.acked > ackedEvents) notes.push(`${out.ledger.acked - ackedEvents} acks were resends of an event already acked`);
    notes.push(`answers: ${out.ledger.statusSummary() || 'none'}`);
    for (const [status, samples] of out.ledger.samples5xx) notes.push(`${status} answers: ${samples.join(' | ')}`);
    if (out.ledger.samplesNonJson.length) notes.push(`answers not JSON: ${out.ledger.samplesNonJson.join(' | ')}`);
    if (out.ledger.unkeyed) notes.push(`${out.ledger.unkeyed} acked bodies the harness could not key`);
    if (stored.lost) notes.push(`waited ${Math.round(stored.waitedMs / 1000)} s after the fault for the missing events`);
    if (stored.lost) notes.push(await eventsQueueState(ctx));
    if (stored.lost && out.labels) notes.push(`lost by kind: ${tally(stored.missing.map((k) => out.labels!.get(k) ?? '?'))}`);
    for (const c of crashes.slice(0, 3)) notes.push(`crash of ${c.app} (exit ${c.signal ?? c.code}): ${crashLine(c.lastLines)}`);
    if (crashes.length > 3) notes.push(`… ${crashes.length - 3} more crashes`);
    const loud = stack.logs.top(3, true);
    if (loud.length) notes.push(`loudest log lines: ${loud.map((m) => `${m.message} ×${m.lines}`).join('; ')}`);
    notes.push(`most frequent log lines: ${stack.logs.top(2).map((m) => `${m.message} ×${m.lines}`).join('; ')}`);
    return {
      drill: drill.name, fault: out.fault, posted: out.ledger.posted, acked: ackedEvents,
      storedOnce: stored.storedOnce, lost: stored.lost + out.ledger.unkeyed, duplicated: stored.duplicated,
      answers5xx: out.ledger.answers5xx, answers500: out.ledger.answers500, validAnswered403: out.ledger.validAnswered403,
      restarts: stack.restarts(), crashes: crashes.length, logLines: stack.logs.lines, loudLogLines: stack.logs.loudLines,
      logBudget: stack.starts() * LOG_LINES_PER_START + out.outages * LOG_LINES_PER_OUTAGE + (out.extraLogBudget ?? 0),
      seconds: (Date.now() - t0) / 1000, checks: out.checks ?? [], notes,
    };
  } finally {
    await stack.stop();
    runningStacks.delete(stack);
  }
}
