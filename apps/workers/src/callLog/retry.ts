/** Which PostgreSQL errors mean "run the transaction again" for the call log, and which mean "no partition". */

const RETRYABLE = new Set([
  '40001', // serialization_failure; also call_log_begin's "the calls changed while they were locked"
  '40P01', // deadlock_detected: locks are taken in one order, so this should not happen; retrying is still right
  '23505', // unique_violation: a racing writer stored the same key first; the retry sees it
]);

const code = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

export function isRetryable(err: unknown): boolean {
  return RETRYABLE.has(code(err) ?? '');
}

/** 23514 on insert into a partitioned table: "no partition of relation … found for row". */
export function isMissingPartition(err: unknown): boolean {
  return code(err) === '23514' && /no partition/i.test((err as Error).message);
}
