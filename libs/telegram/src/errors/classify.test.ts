import { describe, expect, it } from 'vitest';
import { classifyAnswer, metricResult, type BotApiAction, type BotApiAnswer } from './classify.js';

const api = (errorCode: number, description: string, retryAfterSeconds?: number): BotApiAnswer =>
  ({ kind: 'api', errorCode, description, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });

const rows: [string, BotApiAnswer, BotApiAction['action'], string, Partial<BotApiAction>?][] = [
  ['a sent message', { kind: 'ok' }, 'ok', 'ok'],
  ['an edit to the text already shown', api(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'), 'not-modified', 'not_modified'],
  ['a delete of a message that is gone', api(400, 'Bad Request: message to delete not found'), 'skip', '400'],
  ['a delete of a message older than 48 h', api(400, "Bad Request: message can't be deleted for everyone"), 'skip', '400'],
  ['a delete refused without "for everyone"', api(400, "Bad Request: message can't be deleted"), 'skip', '400'],
  ['429 with parameters.retry_after', api(429, 'Too Many Requests: retry after 41', 41), 'retry-after', '429', { seconds: 41 }],
  ['429 with the wait only in the text', api(429, 'Too Many Requests: retry after 7'), 'retry-after', '429', { seconds: 7 }],
  ['429 with no wait at all', api(429, 'Too Many Requests'), 'retry-after', '429', { seconds: 1 }],
  ['500', api(500, 'Internal Server Error'), 'retry-backoff', '5xx'],
  ['502 from the proxy', api(502, 'Bad Gateway'), 'retry-backoff', '5xx'],
  ['a refused connection', { kind: 'network', description: 'fetch failed: connect ECONNREFUSED' }, 'retry-backoff', 'network'],
  ['our client timeout', { kind: 'timeout', description: 'Request timed out: sendMessage' }, 'retry-backoff', 'timeout'],
  ['an HTML page instead of JSON', { kind: 'bad-response', description: 'Invalid JSON' }, 'retry-backoff', 'bad_response'],
  ['a user who blocked the bot', api(403, 'Forbidden: bot was blocked by the user'), 'deactivate-recipient', '403'],
  ['a deactivated user', api(403, 'Forbidden: user is deactivated'), 'deactivate-recipient', '403'],
  ['a bot kicked from the group', api(403, 'Forbidden: bot was kicked from the group chat'), 'deactivate-recipient', '403'],
  ['an empty text', api(400, 'Bad Request: message text is empty'), 'give-up', '400'],
  ['a text too long', api(400, 'Bad Request: message is too long'), 'give-up', '400'],
  ['an unknown chat', api(400, 'Bad Request: chat not found'), 'give-up', '400'],
  ['an edit of a message that is gone', api(400, 'Bad Request: message to edit not found'), 'give-up', '400'],
  ['a revoked token', api(401, 'Unauthorized'), 'give-up', '401'],
  ['an unknown method', api(404, 'Not Found'), 'give-up', '404'],
];

describe('classifyAnswer', () => {
  it.each(rows)('%s → %s', (_name, answer, action, _metric, extra) => {
    const got = classifyAnswer(answer);
    expect(got.action).toBe(action);
    if (extra) expect(got).toMatchObject(extra);
  });

  it.each(rows)('%s is counted as result %4$s', (_name, answer, _action, metric) => {
    expect(metricResult(answer)).toBe(metric);
  });

  it('keeps the reason Telegram gave for a give-up', () => {
    expect(classifyAnswer(api(400, 'Bad Request: chat not found'))).toEqual({ action: 'give-up', reason: '400 Bad Request: chat not found' });
  });
});
