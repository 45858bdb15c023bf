/**
 * A continuously calling Asterisk host for the demo: generated calls of every pattern, in turn,
 * started at a steady rate and posted to the ingest, many interleaved. Counters show on the sandbox page.
 */
import type { Logger } from '@callpipe/logging';
import { generateCall, PATTERN_IDS, sendCalls, type GeneratedCall, type SendSummary } from '../emulator/index.js';

export interface EmulatedHostOptions {
  ingestUrl: string;
  token: string;
  callsPerMinute: number;
  speed: number;
  log: Logger;
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
  private inFlight = 0;
  private callIndex = 0;
  private readonly seed = Math.floor(Date.now() / 1000) % 2 ** 31;
  readonly status: HostStatus;

  constructor(private readonly o: EmulatedHostOptions) {
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
    });
  }

  private async ingestAnswers(): Promise<void> {
    for (let i = 0; i < 120 && this.status.running; i += 1) {
      const answered = await fetch(`${this.o.ingestUrl}/health`).then(() => true, () => false);
      if (answered) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.status.running = false;
  }

  private startCall(): void {
    if (this.inFlight >= MAX_IN_FLIGHT) return;
    const patternId = PATTERN_IDS[this.callIndex % PATTERN_IDS.length]!;
    const call = generateCall(patternId, { token: this.o.token, seed: this.seed, callIndex: this.callIndex, startTime: new Date() });
    this.callIndex += 1;
    this.inFlight += 1;
    this.status.lastPattern = patternId;
    sendCalls([call], { baseUrl: this.o.ingestUrl, rate: 1, concurrency: 1, speed: this.o.speed, onProgress: () => undefined })
      .then((summary) => this.record(call, summary))
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
