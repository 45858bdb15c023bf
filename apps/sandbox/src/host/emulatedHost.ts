/**
 * A continuously calling Asterisk host for the demo: generated calls of every pattern, in turn,
 * started at a steady rate and posted to the ingest, many interleaved. Counters show on the sandbox page.
 * It knows the records every call must make, so it can check what the call log made of them (tally).
 */
import type { Logger } from '@callpipe/logging';
import { generateCall, PATTERN_IDS, sendCalls, type GeneratedCall, type SendSummary } from '../emulator/index.js';
import { ManagerPool } from './managerPool.js';
import { PlacedCalls } from './placedCalls.js';
import { tallyLine, type RecordedIds, type Tally } from './tally.js';

export interface EmulatedHostOptions {
  ingestUrl: string;
  token: string;
  callsPerMinute: number;
  speed: number;
  log: Logger;
  /** Reads which call-log record holds each id (recordedIds.ts); without it there is no tally. */
  readRecords?: (ids: string[]) => Promise<RecordedIds>;
  /** How long after its last event a call is checked (the pipeline's lag); default 15 s. */
  settleMs?: number;
  /** Log the tally this often (ms); 0 = never. Default 60 s. */
  tallyEveryMs?: number;
  /** The managers' extensions (default 150–169). */
  extensions?: readonly string[];
}

export interface HostStatus {
  running: boolean;
  callsPerMinute: number;
  callsSent: number;
  eventsSent: number;
  eventsAcked: number;
  errors: Record<string, number>;
  lastPattern: string | null;
}

/** Calls in flight at most; a slower ingest makes the host wait rather than pile up. */
const MAX_IN_FLIGHT = 20;

export class EmulatedHost {
  private timer: NodeJS.Timeout | null = null;
  private tallyTimer: NodeJS.Timeout | null = null;
  private readonly placed = new PlacedCalls();
  private readonly managers: ManagerPool;
  private inFlight = 0;
  private callIndex = 0;
  private readonly seed = Math.floor(Date.now() / 1000) % 2 ** 31;
  readonly status: HostStatus;

  constructor(private readonly o: EmulatedHostOptions) {
    this.managers = new ManagerPool(o.extensions);
    this.status = { running: false, callsPerMinute: o.callsPerMinute, callsSent: 0, eventsSent: 0, eventsAcked: 0, errors: {}, lastPattern: null };
  }

  /**
   * Once the ingest answers (the demo starts every process at once), starts one call and then one
   * every 60/callsPerMinute seconds, each sent on its own.
   */
  start(): void {
    if (this.o.callsPerMinute <= 0) return;
    this.status.running = true;
    void this.ingestAnswers().then(() => {
      if (!this.status.running) return;
      this.startCall();
      this.timer = setInterval(() => this.startCall(), 60_000 / this.o.callsPerMinute);
      const every = this.o.tallyEveryMs ?? 60_000;
      if (this.o.readRecords && every > 0) this.tallyTimer = setInterval(() => void this.logTally(), every);
    });
  }

  /** What the call log made of the calls placed so far (null without a reader). */
  async tally(): Promise<Tally | null> {
    if (!this.o.readRecords) return null;
    return this.placed.tally(this.o.readRecords, this.o.settleMs ?? 15_000);
  }

  private async logTally(): Promise<void> {
    try {
      const t = await this.tally();
      if (!t || t.callsChecked === 0) return;
      const clean = t.falseMerges === 0 && t.splitCalls === 0 && t.missing === 0;
      this.o.log[clean ? 'info' : 'warn']({ tally: t }, `demo tally: ${tallyLine(t)}`);
    } catch (err) {
      this.o.log.warn({ err }, 'demo tally: the call log could not be read');
    }
  }

  private async ingestAnswers(): Promise<void> {
    for (let i = 0; i < 120 && this.status.running; i += 1) {
      // 200 once the ingest holds the workers' token set (before that it answers events 503).
      const answered = await fetch(`${this.o.ingestUrl}/health`).then((r) => r.ok, () => false);
      if (answered) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tallyTimer) clearInterval(this.tallyTimer);
    this.status.running = false;
  }

  /**
   * Posts one given call (the sandbox AMI's originated calls), counted like the host's own; resolves
   * once every event was sent, rejects when some were not acked.
   */
  async placeCall(call: GeneratedCall): Promise<void> {
    const summary = await sendCalls([call], { baseUrl: this.o.ingestUrl, rate: 1, concurrency: 1, speed: this.o.speed, onProgress: () => undefined });
    this.record(call, summary);
    if (summary.acked !== call.events.length) throw new Error(`${call.events.length - summary.acked} events of the originated call were not acked`);
  }

  private startCall(): void {
    if (this.inFlight >= MAX_IN_FLIGHT) return;
    const patternId = PATTERN_IDS[this.callIndex % PATTERN_IDS.length]!;
    const now = Date.now();
    const extensions = this.managers.pick();
    const call = generateCall(patternId, { token: this.o.token, seed: this.seed, callIndex: this.callIndex, startTime: new Date(now), extensions });
    this.managers.hold(extensions, now + (call.events.at(-1)?.offsetMs ?? 0) / this.o.speed);
    this.callIndex += 1;
    this.inFlight += 1;
    this.status.lastPattern = patternId;
    const index = this.callIndex - 1;
    sendCalls([call], { baseUrl: this.o.ingestUrl, rate: 1, concurrency: 1, speed: this.o.speed, onProgress: () => undefined })
      .then((summary) => {
        this.record(call, summary);
        this.placed.add(call, index, summary.acked === call.events.length);
      })
      .catch((err: Error) => this.o.log.warn({ err, pattern: patternId }, 'emulated call could not be sent'))
      .finally(() => { this.inFlight -= 1; });
  }

  private record(call: GeneratedCall, s: SendSummary): void {
    this.status.callsSent += s.callsCompleted;
    this.status.eventsSent += s.sent;
    this.status.eventsAcked += s.acked;
    for (const [k, n] of Object.entries(s.errors)) this.status.errors[k] = (this.status.errors[k] ?? 0) + n;
    const failed = s.sent - s.acked;
    if (failed > 0) this.o.log.warn({ pattern: call.patternId, failed, errors: s.errors }, 'emulated events not acked');
    this.o.log.info({ pattern: call.patternId, callId: call.expected.uniqueIds[0], events: s.sent, acked: s.acked }, 'emulated call sent');
  }
}
