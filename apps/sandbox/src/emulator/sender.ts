/**
 * Posts generated calls to an ingest service the way hosts do: each call's events in order, each
 * after its offset (divided by `speed`), many calls interleaved, new calls started at `rate` per
 * second with at most `concurrency` in flight. Bounded by the calls given and by `maxDurationMs`;
 * it only ever talks to `baseUrl`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { eventPath } from '@callpipe/events';
import { eventUrl, postEvent, type FetchFn } from './postEvent.js';
import type { GeneratedCall } from './types.js';

export interface SendOptions {
  baseUrl: string;
  /** New calls started per second. */
  rate: number;
  /** Calls in flight at most. */
  concurrency: number;
  /** Time compression: 10 sends a 60 s call in 6 s. Default 1. */
  speed?: number;
  /** Hard stop: no event is sent after this long. Default 10 minutes. */
  maxDurationMs?: number;
  requestTimeoutMs?: number;
  progressIntervalMs?: number;
  /** Receives the progress line every interval; default writes it to stderr. */
  onProgress?: (line: string) => void;
  fetch?: FetchFn;
}

export interface SendSummary {
  calls: number;
  callsStarted: number;
  callsCompleted: number;
  eventsPlanned: number;
  sent: number;
  acked: number;
  /** Error counts by key: HTTP status, "200 not ACK", "timeout", "network ...". */
  errors: Record<string, number>;
  /** Events never sent because the time bound was reached. */
  notSent: number;
  elapsedMs: number;
  eventsPerSec: number;
  timedOut: boolean;
}

class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.size) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  /** Hands the slot straight to the next waiter, if any. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
  get inUse(): number {
    return this.active;
  }
}

function checkOptions(o: SendOptions): void {
  if (!(o.rate > 0)) throw new RangeError('rate must be > 0');
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new RangeError('concurrency must be an integer >= 1');
  if (o.speed !== undefined && !(o.speed > 0)) throw new RangeError('speed must be > 0');
  const url = new URL(o.baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError('baseUrl must be http(s)');
}

export async function sendCalls(calls: readonly GeneratedCall[], opts: SendOptions): Promise<SendSummary> {
  checkOptions(opts);
  const fetchFn = opts.fetch ?? fetch;
  const speed = opts.speed ?? 1;
  const timeoutMs = opts.requestTimeoutMs ?? 5_000;
  const started = Date.now();
  const deadline = started + (opts.maxDurationMs ?? 600_000);
  const progress = opts.onProgress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const s: SendSummary = {
    calls: calls.length, callsStarted: 0, callsCompleted: 0,
    eventsPlanned: calls.reduce((n, c) => n + c.events.length, 0),
    sent: 0, acked: 0, errors: {}, notSent: 0, elapsedMs: 0, eventsPerSec: 0, timedOut: false,
  };
  const slots = new Slots(opts.concurrency);

  /** Sleeps until `at`; false at once when `at` lies beyond the deadline (the caller stops). */
  const waitUntil = async (at: number): Promise<boolean> => {
    if (at > deadline) {
      s.timedOut = true;
      return false;
    }
    const ms = at - Date.now();
    if (ms > 0) await sleep(ms);
    return true;
  };

  const runCall = async (call: GeneratedCall): Promise<void> => {
    const t0 = Date.now();
    for (const [i, ev] of call.events.entries()) {
      if (!(await waitUntil(t0 + ev.offsetMs / speed))) {
        s.notSent += call.events.length - i;
        return;
      }
      s.sent += 1;
      const outcome = await postEvent(fetchFn, eventUrl(opts.baseUrl, eventPath(ev.type)), JSON.stringify(ev.body), timeoutMs);
      if (outcome.acked) s.acked += 1;
      else s.errors[outcome.error] = (s.errors[outcome.error] ?? 0) + 1;
    }
    s.callsCompleted += 1;
  };

  let lastSent = 0;
  let lastTick = started;
  const timer = setInterval(() => {
    const now = Date.now();
    const rate = ((s.sent - lastSent) * 1000) / Math.max(1, now - lastTick);
    lastSent = s.sent;
    lastTick = now;
    progress(formatProgress(s, now - started, rate, slots.inUse));
  }, opts.progressIntervalMs ?? 1_000);
  timer.unref();

  const running: Promise<void>[] = [];
  try {
    for (const [i, call] of calls.entries()) {
      if (!(await waitUntil(started + (i * 1000) / opts.rate))) break;
      await slots.acquire();
      if (Date.now() >= deadline) {
        slots.release();
        s.timedOut = true;
        break;
      }
      s.callsStarted += 1;
      running.push(runCall(call).finally(() => slots.release()));
    }
    await Promise.all(running);
  } finally {
    clearInterval(timer);
  }
  for (const call of calls.slice(s.callsStarted)) s.notSent += call.events.length;
  s.elapsedMs = Date.now() - started;
  s.eventsPerSec = Math.round((s.sent * 1000 * 10) / Math.max(1, s.elapsedMs)) / 10;
  return s;
}

export function errorCount(s: Pick<SendSummary, 'errors'>): number {
  return Object.values(s.errors).reduce((a, b) => a + b, 0);
}

function formatProgress(s: SendSummary, elapsedMs: number, rate: number, active: number): string {
  return `[emulate] ${(elapsedMs / 1000).toFixed(0)}s calls ${s.callsStarted}/${s.calls} (active ${active}) `
    + `sent ${s.sent} acked ${s.acked} errors ${errorCount(s)} ${rate.toFixed(1)} events/s`;
}
