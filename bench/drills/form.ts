/**
 * The two sizes of the drill suite: `full` (the figures: a 30 s PostgreSQL cut, Redis down
 * 20 s, 10,000 fuzzed bodies) and `short` (the same drills, smaller, for CI: a few minutes in all).
 */
export interface Form {
  name: 'short' | 'full';
  /** Emulated calls per event drill, started `callRate` a second, each call's timeline sped up `speed` times. */
  calls: number;
  callRate: number;
  speed: number;
  workerKills: number;
  pgCutSeconds: number;
  pgFlaps: number;
  pgFlapSeconds: number;
  pgLatencyMs: number;
  redisDownSeconds: number;
  fuzzBodies: number;
  /** Workers come up this long after the ingest in the cold-start drill. */
  coldStartWorkersLateMs: number;
  /** Longest wait, after the fault ended and posting stopped, for every acked event to be stored. */
  settleMs: number;
  /** Time the bad-bot-token drill watches the workers after posting. */
  watchMs: number;
}

export const FORMS: Record<Form['name'], Form> = {
  short: {
    name: 'short', calls: 24, callRate: 4, speed: 20, workerKills: 2,
    pgCutSeconds: 6, pgFlaps: 2, pgFlapSeconds: 3, pgLatencyMs: 50, redisDownSeconds: 5,
    fuzzBodies: 1_000, coldStartWorkersLateMs: 3_000, settleMs: 30_000, watchMs: 8_000,
  },
  full: {
    name: 'full', calls: 180, callRate: 4, speed: 10, workerKills: 4,
    pgCutSeconds: 30, pgFlaps: 5, pgFlapSeconds: 3, pgLatencyMs: 50, redisDownSeconds: 20,
    fuzzBodies: 10_000, coldStartWorkersLateMs: 3_000, settleMs: 150_000, watchMs: 30_000,
  },
};

/**
 * Warn-or-louder log lines allowed: a few per process start (a SIGKILLed worker's stalled jobs), and
 * per outage across all processes (it started, rate-limited reminders, it ended) — not one per job.
 */
export const LOG_LINES_PER_START = 5;
export const LOG_LINES_PER_OUTAGE = 40;
