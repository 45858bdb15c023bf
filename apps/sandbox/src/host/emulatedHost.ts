/**
 * A continuously calling Asterisk host for the demo: generated calls of every pattern, in turn,
 * started at a steady rate and posted to the ingest. Its counters are shown on the sandbox page.
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

const BATCH = 10;

export class EmulatedHost {
  private stopped = false;
  private callIndex = 0;
  private readonly seed = Math.floor(Date.now() / 1000) % 2 ** 31;
  readonly status: HostStatus;

  constructor(private readonly o: EmulatedHostOptions) {
    this.status = { running: false, callsPerMinute: o.callsPerMinute, callsSent: 0, eventsSent: 0, eventsAcked: 0, errors: {}, lastPattern: null };
  }

  start(): void {
    if (this.o.callsPerMinute <= 0) return;
    this.status.running = true;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.status.running = false;
  }

  private nextCalls(): GeneratedCall[] {
    return Array.from({ length: BATCH }, () => {
      const patternId = PATTERN_IDS[this.callIndex % PATTERN_IDS.length]!;
      const call = generateCall(patternId, { token: this.o.token, seed: this.seed, callIndex: this.callIndex, startTime: new Date() });
      this.callIndex += 1;
      return call;
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const calls = this.nextCalls();
      const summary = await sendCalls(calls, {
        baseUrl: this.o.ingestUrl, rate: this.o.callsPerMinute / 60, concurrency: BATCH, speed: this.o.speed,
        onProgress: () => undefined,
      }).catch((err: Error) => {
        this.o.log.warn({ err }, 'emulated calls could not be sent');
        return null;
      });
      if (summary) this.record(calls, summary);
      else await new Promise((r) => setTimeout(r, 5000));
    }
  }

  private record(calls: GeneratedCall[], s: SendSummary): void {
    this.status.callsSent += s.callsCompleted;
    this.status.eventsSent += s.sent;
    this.status.eventsAcked += s.acked;
    for (const [k, n] of Object.entries(s.errors)) this.status.errors[k] = (this.status.errors[k] ?? 0) + n;
    this.status.lastPattern = calls.at(-1)?.patternId ?? null;
    const failed = s.sent - s.acked;
    if (failed > 0) this.o.log.warn({ failed, errors: s.errors }, 'emulated events not acked');
    this.o.log.info({ calls: s.callsCompleted, events: s.sent, acked: s.acked }, 'emulated calls sent');
  }
}
