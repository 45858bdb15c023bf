import { describe, expect, it } from 'vitest';
import { MalformedBotToken } from './deps.js';
import { failureOf, SendLater, TelegramRetry } from './sync.js';

describe('which failure a sync of several chats ends with', () => {
  it('a malformed token first, then another error (a retry), and a deferral only when every chat waits for its slot (the longest wait)', () => {
    const retry = new TelegramRetry('send', '502 Bad Gateway');
    const malformed = new MalformedBotToken();
    expect(failureOf([new SendLater(3000), retry, malformed])).toBe(malformed);
    expect(failureOf([new SendLater(3000), retry])).toBe(retry);
    const later = failureOf([new SendLater(3000), new SendLater(9000)]);
    expect(later).toBeInstanceOf(SendLater);
    expect((later as SendLater).waitMs).toBe(9000);
  });
});
