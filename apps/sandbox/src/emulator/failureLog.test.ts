import { describe, expect, it } from 'vitest';
import { parseFailureLine, parseFailureLog } from './failureLog.js';

const body = '{"Token":"375293332255","UniqueId":"1762427351.0","Phone":"375296254070","CallType":1}';

describe('parseFailureLine', () => {
  it.each([
    ['timeout with body', `2025-11-06 14:09:15|dial|1762427351.0|Timeout|${body}|0`, { kind: 'replayable', event: 'dial', uniqueId: '1762427351.0', status: 'Timeout', body, timeSec: 0 }],
    ['500 with body', `2025-11-06 14:09:16|hangup|1762427351.0|<Response [500]>|${body}|2.5`, { kind: 'replayable', event: 'hangup', status: '<Response [500]>', timeSec: 2.5 }],
    ['empty status as repr', `2025-11-06 14:09:17|bridge|1762427351.0|''|${body}|0`, { kind: 'replayable', status: '' }],
    ['empty status as nothing', `2025-11-06 14:09:17|bridge|1762427351.0||${body}|`, { kind: 'replayable', status: '', timeSec: null }],
    ['body containing a pipe', '2025-11-06 14:09:18|new_callerid|1762427351.1|Timeout|{"Token":"t","UniqueId":"1.1","CallerIDName":"A|B"}|0', { kind: 'replayable', body: '{"Token":"t","UniqueId":"1.1","CallerIDName":"A|B"}' }],
    ['already delivered', `2025-11-06 14:09:19|dial|1762427351.0|<Response [200]>|${body}|0`, { kind: 'delivered' }],
    ['blank body', '2025-11-06 14:09:20|bridge_create||Timeout||0', { kind: 'unreplayable', event: 'bridge_create', uniqueId: '', reason: 'body not kept' }],
    ['body not JSON', '2025-11-06 14:09:21|dial|1.0|Timeout|{"Token":|0', { kind: 'unreplayable', reason: 'body is not a JSON object' }],
    ['body a JSON array', '2025-11-06 14:09:21|dial|1.0|Timeout|[1,2]|0', { kind: 'unreplayable' }],
    ['garbage', 'Traceback (most recent call last):', { kind: 'invalid' }],
    ['bad date', `yesterday|dial|1.0|Timeout|${body}|0`, { kind: 'invalid' }],
    ['unknown event', `2025-11-06 14:09:22|ring|1.0|Timeout|${body}|0`, { kind: 'invalid' }],
    ['bad time', `2025-11-06 14:09:22|dial|1.0|Timeout|${body}|soon`, { kind: 'invalid' }],
  ])('%s', (_name, line, expected) => {
    expect(parseFailureLine(line, 7)).toMatchObject({ lineNo: 7, ...expected });
  });

  it('skips blank lines and tolerates CRLF', () => {
    expect(parseFailureLine('   ', 1)).toBeNull();
    expect(parseFailureLine(`2025-11-06 14:09:15|dial|1.0|Timeout|${body}|0\r`, 1)).toMatchObject({ kind: 'replayable', timeSec: 0 });
  });
});

describe('parseFailureLog', () => {
  it('keeps file order and line numbers', () => {
    const text = [
      `2025-11-06 14:09:15|dial|1762427351.0|Timeout|${body}|0`,
      '',
      'garbage',
      `2025-11-06 14:09:16|hangup|1762427351.0|<Response [200]>|${body}|0`,
      '',
    ].join('\n');
    expect(parseFailureLog(text).map((e) => [e.lineNo, e.kind])).toEqual([[1, 'replayable'], [3, 'invalid'], [4, 'delivered']]);
  });
});
