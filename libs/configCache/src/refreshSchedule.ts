/**
 * When the next full refresh runs: the base period moved by a random amount within ± jitter, so
 * processes started together do not all hit PostgreSQL at the same moment.
 */

/** A delay in [baseMs - jitterMs, baseMs + jitterMs]; `random` is a number in [0, 1) (Math.random). */
export function nextRefreshDelayMs(baseMs: number, jitterMs: number, random: () => number = Math.random): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(baseMs - jitterMs + 2 * jitterMs * r);
}
