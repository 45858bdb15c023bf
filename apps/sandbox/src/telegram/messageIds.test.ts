/** A restarted sandbox Telegram does not hand out the message ids its last run gave (the demo keeps its database). */
import { describe, expect, it } from 'vitest';
import { firstMessageIdNow, TelegramSandbox } from './telegramSandbox.js';

describe('sandbox Telegram message ids', () => {
  it('number each chat from firstMessageId, 1 by default', () => {
    const fresh = new TelegramSandbox();
    expect(fresh.state.add('1', 10, 'a').messageId).toBe(1);
    const later = new TelegramSandbox({ firstMessageId: 5000 });
    expect([later.state.add('1', 10, 'a').messageId, later.state.add('1', 10, 'b').messageId, later.state.add('1', 11, 'c').messageId]).toEqual([5000, 5001, 5000]);
  });

  it('a process started later starts above what one earlier could give at a message a second', () => {
    const t0 = Date.UTC(2026, 11, 1, 22, 0, 0);
    const run1 = firstMessageIdNow(t0);
    // Ten minutes at one message a second, then a restart.
    const lastOfRun1 = run1 + 600 - 1;
    expect(firstMessageIdNow(t0 + 600_000)).toBeGreaterThan(lastOfRun1);
    expect(run1).toBeGreaterThan(1);
  });
});
