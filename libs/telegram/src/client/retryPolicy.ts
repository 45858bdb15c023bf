/**
 * Whether one Bot API call is tried again in-process, and after how long. Short waits are served
 * here; a long retry_after or a failure that outlasts the attempts goes back to the caller, whose job
 * is then retried by BullMQ with its own backoff (the job is not held for minutes).
 */
import type { BotApiAction } from '../errors/classify.js';

export interface RetryPolicy {
  /** Attempts within one call, the first included. */
  maxAttempts: number;
  /** Longest 429 retry_after waited in-process, in seconds. */
  maxRetryAfterSeconds: number;
  /** First backoff after a transient failure; doubles each attempt. */
  backoffBaseMs: number;
  /** Longest wait for a rate-limiter slot before the call is handed back as retry-after. */
  maxLimiterWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, maxRetryAfterSeconds: 10, backoffBaseMs: 300, maxLimiterWaitMs: 10_000 };

/** After attempt `attempt` (1-based) ended with `action`: wait this long and try again, or stop. */
export function nextStep(action: BotApiAction, attempt: number, policy: RetryPolicy): { retryInMs: number } | 'stop' {
  if (attempt >= policy.maxAttempts) return 'stop';
  switch (action.action) {
    case 'retry-after':
      return action.seconds <= policy.maxRetryAfterSeconds ? { retryInMs: action.seconds * 1000 } : 'stop';
    case 'retry-backoff':
      return { retryInMs: policy.backoffBaseMs * 2 ** (attempt - 1) };
    default:
      return 'stop';
  }
}
