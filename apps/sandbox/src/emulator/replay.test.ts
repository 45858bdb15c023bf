import { afterEach, describe, expect, it } from 'vitest';
import { parseFailureLog } from './failureLog.js';
import { replayFailureLog } from './replay.js';
import { startTestServer, type TestServer } from './testServer.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const body = (uid: string, extra = '') => `{"Token":"375293332255","UniqueId":"${uid}","Phone":"375296254070","CallType":1${extra}}`;

const LOG = [
  `2025-11-06 14:09:15|dial|1762427351.0|Timeout|${body('1762427351.0')}|0`,
  `2025-11-06 14:09:15|new_callerid|1762427351.1|<Response [200]>|${body('1762427351.1')}|0`,
  '2025-11-06 14:09:16|bridge_create||Timeout||0',
  `2025-11-06 14:09:20|bridge|1762427351.1|''|{"Token":"375293332255","UniqueId":"1762427351.1","BridgeUniqueid":"b-1"}|0`,
  'this is not a log line',
  `2025-11-06 14:10:01|hangup|1762427351.0|<Response [500]>|${body('1762427351.0', ',"CallStatus":"2"')}|3`,
].join('\n');

describe('replayFailureLog', () => {
  it('re-sends failed events with a body to /recovery/{event}, in file order', async () => {
    server = await startTestServer((r) => (r.path === '/recovery/hangup'
      ? { status: 400, body: { status: 'error' } }
      : { status: 200, body: { status: 'ok', message: 'Event queued for processing' } }));
    const report = await replayFailureLog(parseFailureLog(LOG), { baseUrl: server.url });

    expect(server.received.map((r) => r.path)).toEqual(['/recovery/dial', '/recovery/bridge', '/recovery/hangup']);
    // Sent as the host logged it (CallStatus stays a string; the service coerces it).
    expect(server.received[2]!.body).toMatchObject({ UniqueId: '1762427351.0', CallStatus: '2' });
    expect(report).toMatchObject({
      replayed: 2, skipped: 3, failed: 1,
      skippedByReason: { 'already delivered': 1, 'body not kept': 1, 'invalid line': 1 },
      failures: [{ lineNo: 6, event: 'hangup', uniqueId: '1762427351.0', error: '400' }],
    });
  });
});
