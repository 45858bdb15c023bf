/**
 * Emulated Asterisk hosts at an offered rate, open loop: calls of the emulator's patterns (every
 * pattern in turn, round-robin over the enterprises, each call with parties of its own) start at
 * `callsPerSec` per step, and each event is posted at its own time (call start + offset / speed)
 * whatever the ingest answered before — a slow ingest cannot slow the load down. Ack latency is
 * measured from the scheduled time, so time spent waiting to be sent counts (no coordinated
 * omission). Every ack's wall-clock time is kept by event key, for the end-to-end latencies.
 */
import { Agent, request } from 'node:http';
import { ACK_BODY, eventKey, eventPath, type EventType } from '@callpipe/events';
import type * as Emulator from '../../apps/sandbox/src/emulator/index.js';

export interface Step {
  /** New calls a second during the step. */
  callsPerSec: number;
  seconds: number;
}

export interface Enterprise {
  number: string;
  hostToken: string;
}

export interface PlacedCall {
  enterprise: string;
  /** Event keys of the call, in the call's order. */
  keys: string[];
  /** Keys of its hangup events. */
  hangups: string[];
  /** Records the emulator says the call makes (most patterns 1; some make a second, e.g. an internal consult). */
  records: number;
  /** Which of them each event belongs to (same order as keys). */
  recordOf: number[];
  step: number;
}

export interface Ack {
  /** Wall-clock ms when the 200 came back (0: no ack). */
  at: number;
  /** From the event's scheduled time to the answer. */
  latencyMs: number;
}

export interface HostRun {
  calls: PlacedCall[];
  acks: Map<string, Ack>;
  /** Per event sent: its step, scheduled ms since start, and key. */
  sent: { step: number; atMs: number; key: string }[];
  errors: Record<string, number>;
  startedAt: number;
  /** ms since the start at which each step began, and (last) when the last step ended. */
  stepStarts: number[];
  /** performance.now() at the start. */
  t0: number;
}

const ACK_TEXT = JSON.stringify(ACK_BODY);

/** POSTs one body; resolves with the error key, or null on the ingest's ack. */
function post(agent: Agent, port: number, path: string, body: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = request({
      agent, host: '127.0.0.1', port, path, method: 'POST', timeout: timeoutMs,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve(res.statusCode !== 200 ? String(res.statusCode) : text === ACK_TEXT || isAck(text) ? null : '200 not ACK'));
    });
    req.on('timeout', () => { req.destroy(); resolve('timeout'); });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(`network ${err.code ?? ''}`.trim()));
    req.end(body);
  });
}

function isAck(text: string): boolean {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    return v.status === ACK_BODY.status && v.message === ACK_BODY.message;
  } catch {
    return false;
  }
}

export interface HostOptions {
  emu: typeof Emulator;
  ingestPorts: number[];
  enterprises: Enterprise[];
  steps: Step[];
  /** Time compression of each call's own timeline (1: as long as real calls, ~143 s on average). */
  speed: number;
  /** Index of the first call (calls of earlier runs keep their ids). */
  firstCall?: number;
  /** Calls placed so far per enterprise, carried from an earlier run (a warm-up) so parties are not reused. */
  parties?: Map<string, number>;
  onStep?: (step: number) => void;
  /** Asked at the end of each step (but the last): false ends the run there (the backlog grows). */
  goOn?: (step: number) => Promise<boolean>;
}

/** Runs every step, then waits for the calls still in progress to post their last events. */
export async function runHosts(o: HostOptions): Promise<HostRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const acks = new Map<string, Ack>();
  const t0 = performance.now();
  const run: HostRun = { calls: [], acks, sent: [], errors: {}, startedAt: Date.now(), stepStarts: [], t0 };
  const pending = new Set<Promise<void>>();
  const perEnterprise = o.parties ?? new Map<string, number>();
  let callIndex = o.firstCall ?? 0;
  // The 4-x family is two calls told apart only by seconds between them: a compressed timeline would
  // merge them (rightly), so it runs only at speed 1.
  const patterns = o.emu.PATTERNS.filter((p) => o.speed === 1 || p.family !== 'separate').map((p) => p.id);
  let stepStart = 0;
  const track = (p: Promise<void>) => { pending.add(p); void p.finally(() => pending.delete(p)); };

  const placeCall = (step: number, startMs: number) => {
    const i = callIndex++;
    const ent = o.enterprises[i % o.enterprises.length]!;
    // Parties of its own within its enterprise (no soft link to a neighbour); recycled after 300 calls.
    const j = (perEnterprise.get(ent.number) ?? 0);
    perEnterprise.set(ent.number, j + 1);
    const k = j % 300;
    const call = o.emu.generateCall(patterns[i % patterns.length]!, {
      token: ent.hostToken, seed: 1 + Math.floor(i / o.emu.MAX_CALLS_PER_SEED), callIndex: i % o.emu.MAX_CALLS_PER_SEED,
      startTime: new Date(run.startedAt + startMs),
      extensions: [String(1000 + 3 * k), String(1001 + 3 * k), String(1002 + 3 * k)],
      phones: [`37529${String(1_000_000 + 3 * j)}`, `37529${String(1_000_001 + 3 * j)}`, `37529${String(1_000_002 + 3 * j)}`],
    });
    const placed: PlacedCall = { enterprise: ent.number, keys: [], hangups: [], records: call.records.length, recordOf: [], step };
    run.calls.push(placed);
    for (const ev of call.events) {
      const key = eventKey(ev.type as EventType, ev.body);
      placed.keys.push(key);
      placed.recordOf.push(ev.record);
      if (ev.type === 'hangup') placed.hangups.push(key);
      const at = startMs + ev.offsetMs / o.speed;
      const body = JSON.stringify(ev.body);
      const port = o.ingestPorts[i % o.ingestPorts.length]!;
      track(new Promise<void>((resolve) => {
        setTimeout(() => {
          run.sent.push({ step, atMs: at, key });
          void post(agent, port, eventPath(ev.type), body, 10_000).then((error) => {
            const now = performance.now();
            if (error) {
              run.errors[error] = (run.errors[error] ?? 0) + 1;
              acks.set(key, { at: 0, latencyMs: now - t0 - at });
            } else {
              acks.set(key, { at: Date.now(), latencyMs: now - t0 - at });
            }
            resolve();
          });
        }, Math.max(0, t0 + at - performance.now()));
      }));
    }
  };

  for (const [s, step] of o.steps.entries()) {
    run.stepStarts.push(stepStart);
    o.onStep?.(s);
    const n = Math.round(step.callsPerSec * step.seconds);
    for (let c = 0; c < n; c += 1) {
      const startMs = stepStart + (c * 1000) / step.callsPerSec;
      const wait = t0 + startMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      placeCall(s, startMs);
    }
    stepStart += step.seconds * 1000;
    const wait = t0 + stepStart - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (s < o.steps.length - 1 && o.goOn && !(await o.goOn(s))) break;
  }
  run.stepStarts.push(stepStart);
  while (pending.size > 0) await Promise.all([...pending]);
  agent.destroy();
  return run;
}
