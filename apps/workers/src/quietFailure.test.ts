import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { Misconfigured } from './misconfigured.js';
import { isQuietFailure } from './quietFailure.js';
import { SyncBusy } from './telegram/chatState.js';

describe('quiet job failures', () => {
  it('lock contention and a reported misconfiguration are logged at debug; other failures are not quiet', () => {
    expect(isQuietFailure(new SyncBusy('42', 'call-1'))).toBe(true);
    expect(isQuietFailure(new Misconfigured('0367', 'telegram', 'enterprises.bot_token is not a bot token'))).toBe(true);
    expect(isQuietFailure(new Error('connection refused'))).toBe(false);
    expect(isQuietFailure(null)).toBe(false);
  });

  it('a misconfiguration ends the job without retries (BullMQ sees an UnrecoverableError)', () => {
    const err = new Misconfigured('0367', 'retailcrm', 'api_key refused (401)');
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(err.message).toBe('retailcrm of enterprise 0367 is misconfigured: api_key refused (401)');
  });
});
