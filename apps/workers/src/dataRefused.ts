/**
 * PostgreSQL refusing a job's data (SQLSTATE class 22, data exception: text jsonb cannot hold,
 * a value out of range) refuses it again on every retry, so retrying only hides it for hours.
 * Such a job fails for good at once (UnrecoverableError), logged as an error by the worker host and
 * kept in the failed set where Bull Board shows it.
 */
import { UnrecoverableError } from 'bullmq';

function sqlState(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True for a PostgreSQL data exception (SQLSTATE 22xxx). */
export function isDataRefused(err: unknown): boolean {
  return sqlState(err)?.startsWith('22') ?? false;
}

/** The error to throw from a processor: a data exception becomes an UnrecoverableError naming it. */
export function unrecoverableIfDataRefused(err: unknown): unknown {
  if (!isDataRefused(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const refused = new UnrecoverableError(`PostgreSQL refuses this job's data (SQLSTATE ${sqlState(err)}): ${message}`);
  refused.cause = err;
  return refused;
}
