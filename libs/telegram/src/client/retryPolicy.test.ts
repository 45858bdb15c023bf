import { describe, expect, it } from 'vitest';
import type { BotApiAction } from '../errors/classify.js';
import { nextStep, type RetryPolicy } from './retryPolicy.js';

const policy: RetryPolicy = { maxAttempts: 3, maxRetryAfterSeconds: 10, backoffBaseMs: 300, maxLimiterWaitMs: 5000 };
const after = (seconds: number): BotApiAction => ({ action: 'retry-after', seconds, reason: '429' });
const transient: BotApiAction = { action: 'retry-backoff', reason: '502' };

describe('nextStep', () => {
  it.each<[string, BotApiAction, number, ReturnType<typeof nextStep>]>([
    ['waits retry_after when it is short', after(3), 1, { retryInMs: 3000 }],
    ['hands a long retry_after back to the caller', after(41), 1, 'stop'],
    ['backs off 300 ms after the first transient failure', transient, 1, { retryInMs: 300 }],
    ['doubles the backoff after the second', transient, 2, { retryInMs: 600 }],
    ['stops after the last attempt', transient, 3, 'stop'],
    ['stops after the last attempt even for a short retry_after', after(1), 3, 'stop'],
    ['never retries a give-up', { action: 'give-up', reason: '400' }, 1, 'stop'],
    ['never retries a blocked recipient', { action: 'deactivate-recipient', reason: '403' }, 1, 'stop'],
    ['never retries a skip', { action: 'skip', reason: 'gone' }, 1, 'stop'],
    ['never retries not-modified', { action: 'not-modified' }, 1, 'stop'],
  ])('%s', (_name, action, attempt, step) => {
    expect(nextStep(action, attempt, policy)).toEqual(step);
  });
});
