/**
 * Emulated calls as the call log sees them, for the call-log tests: the emulator's events turned
 * into correlation events and call-log jobs, stamped at the times the host sent them, plus a seeded
 * shuffle. Calls meant to run at the same time get their own extensions and phones, as real
 * concurrent calls have (one manager is not in two conversations at once).
 */
import { eventKey, type EventType } from '@callpipe/events';
import type { CorrelationEvent } from '@callpipe/correlation';
import type { CallLogEventEntry } from '@callpipe/queues';
import { generateCall, PATTERN_IDS, type ExpectedOutcome, type GeneratedCall } from '../../apps/sandbox/src/emulator/index.js';

export { PATTERN_IDS };

export interface EmulatedRecord {
  expected: ExpectedOutcome;
  events: CorrelationEvent[];
}

export interface EmulatedCall {
  call: GeneratedCall;
  events: CorrelationEvent[];
  /** The records the events must make (most patterns: one), each with its own events. */
  records: EmulatedRecord[];
  jobs: (enterprise: string) => CallLogEventEntry[];
}

export interface EmulateOptions {
  seed: number;
  callIndex: number;
  startTime: Date;
  linkedid?: boolean;
  /** Give the call extensions and phones of its own (for calls that overlap in time). */
  ownParties?: boolean;
  /** These extensions instead (the demo host's managers for this call). */
  extensions?: readonly string[];
  /** Time compression as the demo host sends (2: events arrive at half their emulated offsets). */
  speed?: number;
}

/** Three extensions no other call index uses, and three outside numbers likewise. */
function partiesOf(callIndex: number): { extensions: string[]; phones: string[] } {
  const ext = (k: number) => String(2000 + callIndex * 3 + k);
  const phone = (k: number) => `37529${String(1_000_000 + callIndex * 3 + k)}`;
  return { extensions: [ext(0), ext(1), ext(2)], phones: [phone(0), phone(1), phone(2)] };
}

export function emulatedCall(patternId: string, o: EmulateOptions): EmulatedCall {
  const call = generateCall(patternId, {
    token: 'tok-call-log-test', seed: o.seed, callIndex: o.callIndex, startTime: o.startTime,
    includeLinkedid: o.linkedid ?? false, ...(o.ownParties ? partiesOf(o.callIndex) : {}), ...(o.extensions ? { extensions: o.extensions } : {}),
  });
  const t0 = o.startTime.getTime();
  const speed = o.speed ?? 1;
  const events = call.events.map((e) => ({ key: eventKey(e.type, e.body), type: e.type, body: e.body, at: t0 + Math.round(e.offsetMs / speed) }));
  return {
    call,
    events,
    records: call.records.map((expected, r) => ({ expected, events: events.filter((_, i) => call.events[i]!.record === r) })),
    jobs: (enterprise) => call.events.map((e, i) => ({
      kind: 'event', enterprise, eventKey: events[i]!.key, eventType: e.type as EventType,
      body: { ...e.body }, receivedAt: new Date(events[i]!.at).toISOString(), seq: events[i]!.at * 1000 + i, source: 'live',
    })),
  };
}

/** mulberry32: a small seeded PRNG, so a failing order can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const sortedCopy = (xs: readonly string[]): string[] => [...xs].sort();
