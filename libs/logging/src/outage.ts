/**
 * One dependency's availability, logged as an outage: one line when it goes down, a rate-limited
 * reminder while it stays down, one line when it is back — never a line per failed request or job.
 * Every process reports its PostgreSQL and Redis errors here; /health reads the state.
 */
import type { Logger } from 'pino';

export interface OutageState {
  up: boolean;
  /** ISO time the current outage began (when down). */
  since?: string;
  /** Message of the latest error seen during the outage. */
  lastError?: string;
  /** Errors reported during the current outage. */
  failures: number;
}

export interface OutageOptions {
  /** Least time between two "still down" reminders. */
  remindEveryMs?: number;
  now?: () => number;
}

export class Outage {
  private downSince: number | null = null;
  private lastReminder = 0;
  private failures = 0;
  private lastError: string | undefined;
  private readonly remindEveryMs: number;
  private readonly now: () => number;

  constructor(readonly dependency: string, private readonly log: Logger, o: OutageOptions = {}) {
    this.remindEveryMs = o.remindEveryMs ?? 60_000;
    this.now = o.now ?? Date.now;
  }

  /** An error talking to the dependency: starts an outage, or counts toward the current one. */
  down(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.failures += 1;
    this.lastError = message || (err instanceof Error ? (err as NodeJS.ErrnoException).code ?? err.name : 'error');
    const t = this.now();
    if (this.downSince === null) {
      this.downSince = t;
      this.lastReminder = t;
      this.log.warn({ dependency: this.dependency, error: this.lastError }, `${this.dependency} unavailable`);
      return;
    }
    if (t - this.lastReminder >= this.remindEveryMs) {
      this.lastReminder = t;
      this.log.warn({ dependency: this.dependency, downForMs: t - this.downSince, failures: this.failures, error: this.lastError },
        `${this.dependency} still unavailable`);
    }
  }

  /** The dependency answered: ends the current outage, if any. */
  up(): void {
    if (this.downSince === null) return;
    this.log.info({ dependency: this.dependency, downForMs: this.now() - this.downSince, failures: this.failures },
      `${this.dependency} is back`);
    this.downSince = null;
    this.failures = 0;
    this.lastError = undefined;
  }

  isUp(): boolean {
    return this.downSince === null;
  }

  state(): OutageState {
    if (this.downSince === null) return { up: true, failures: 0 };
    return { up: false, since: new Date(this.downSince).toISOString(), lastError: this.lastError, failures: this.failures };
  }
}

/** Resolves true when the probe succeeds within ms, false when it fails or takes longer (a /health bound). */
export async function probeWithin(probe: () => Promise<unknown>, ms: number): Promise<boolean> {
  return (await valueWithin(() => probe().then(() => true), ms)) ?? false;
}

/** The probe's value, or undefined when it fails or takes longer than ms. */
export async function valueWithin<T>(probe: () => Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  try {
    return await Promise.race([probe().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
