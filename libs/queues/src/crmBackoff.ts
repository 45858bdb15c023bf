/**
 * The crm-dispatch retry delay: exponential from the job's base delay (job.opts.backoff.delay),
 * capped at 300 times it, with ±25% jitter so jobs that failed together do not come back together.
 * With the 2 s default the cap is 10 min, and the catalogue's 150 attempts span about a day (17 h at
 * the least). Rate-limit waits and breaker holds do not come here: they delay the job without an
 * attempt, so a CRM behind an open breaker is waited out far longer.
 */
import type { BackoffStrategy } from 'bullmq';

export const CRM_BACKOFF_TYPE = 'crm';
export const CRM_BACKOFF_CAP_FACTOR = 300;

export function crmBackoffMs(attemptsMade: number, baseMs: number, random: () => number = Math.random): number {
  const exp = Math.min(CRM_BACKOFF_CAP_FACTOR, 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(baseMs * exp * (0.75 + random() * 0.5));
}

export const crmBackoffStrategy: BackoffStrategy = (attemptsMade, _type, _err, job) => {
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && typeof backoff.delay === 'number' ? backoff.delay : 2000;
  return crmBackoffMs(attemptsMade, base);
};
