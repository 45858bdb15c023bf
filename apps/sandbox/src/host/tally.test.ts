import { describe, expect, it } from 'vitest';
import { getJson } from '../../../../test/support/httpClient.js';
import { listen } from '../../../../test/support/listen.js';
import { testLogger } from '../../../../test/support/testEnv.js';
import { sandboxHandler } from '../sandbox.js';
import { TelegramSandbox } from '../telegram/index.js';
import { EmulatedHost } from './emulatedHost.js';
import { tallyLine, tallyRecords, type ExpectedRecordIds, type RecordedIds } from './tally.js';

const expected: ExpectedRecordIds[] = [
  { label: '1-1 #0', ids: ['1.1', '1.2', 'B1'] },
  { label: '4-1 #1', ids: ['2.1', '2.2', 'B2'] },
  { label: '4-1 #1 record 1', ids: ['2.3', '2.4', 'B3'] },
];

/** A call log that holds `records` (record id → its ids). */
function log(records: Record<string, string[]>): RecordedIds {
  const recordOf = new Map<string, string>();
  const idsOf = new Map<string, string[]>();
  for (const [record, ids] of Object.entries(records)) {
    idsOf.set(record, ids);
    for (const id of ids) recordOf.set(id, record);
  }
  return { recordOf, idsOf };
}

describe('demo tally', () => {
  it('counts every expected record held alone by one record as an exact match (the Local pair node aside)', () => {
    const t = tallyRecords(expected, log({ r1: ['1.1', '1.2', 'B1', 'local:Local/150@x-1'], r2: ['2.1', '2.2', 'B2'], r3: ['2.3', '2.4', 'B3'] }), 2, 2);
    expect(t).toMatchObject({ callsPlaced: 2, callsChecked: 2, expectedRecords: 3, records: 3, exactMatches: 3, falseMerges: 0, splitCalls: 0, missing: 0 });
  });

  it('counts a record holding two expected records once as a false merge, naming both', () => {
    const t = tallyRecords(expected, log({ r1: ['1.1', '1.2', 'B1'], r2: ['2.1', '2.2', 'B2', '2.3', '2.4', 'B3'] }), 2, 2);
    expect(t).toMatchObject({ records: 2, exactMatches: 1, falseMerges: 1, splitCalls: 0, missing: 0 });
    expect(t.examples.falseMerges).toEqual(['4-1 #1 + 4-1 #1 record 1']);
  });

  it('counts an expected record spread over two records as a split call, and one with no id recorded as missing', () => {
    const t = tallyRecords(expected, log({ r1: ['1.1', 'B1'], r9: ['1.2'], r2: ['2.1', '2.2', 'B2'] }), 2, 2);
    expect(t).toMatchObject({ records: 3, exactMatches: 1, falseMerges: 0, splitCalls: 1, missing: 1 });
    expect(t.examples).toEqual({ falseMerges: [], splitCalls: ['1-1 #0'], missing: ['4-1 #1 record 1'] });
  });

  it('does not count as exact a record that holds fewer ids than the call (an id lost)', () => {
    const t = tallyRecords(expected.slice(0, 1), log({ r1: ['1.1', 'B1'] }), 1, 1);
    expect(t).toMatchObject({ exactMatches: 0, falseMerges: 0, splitCalls: 0, missing: 0 });
    expect(tallyLine(t)).toBe('calls placed 1 (checked 1), expected records 1, call-log records 1, exact matches 0, false merges 0, split calls 0, missing 0');
  });
});

describe('GET /host/tally', () => {
  const serve = async (readRecords?: (ids: string[]) => Promise<RecordedIds>) => {
    const host = new EmulatedHost({ ingestUrl: 'http://127.0.0.1:9', token: 't', callsPerMinute: 0, speed: 1, log: testLogger(), ...(readRecords ? { readRecords } : {}) });
    return listen(sandboxHandler({ host, telegram: new TelegramSandbox() }));
  };

  it('answers the tally as JSON, 404 without a call-log reader, 503 when the call log cannot be read', async () => {
    const ok = await serve(async () => log({}));
    const down = await serve(async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:5432'); });
    const none = await serve();
    try {
      expect((await getJson(ok.base, '/host/tally')).body).toMatchObject({ callsPlaced: 0, callsChecked: 0, falseMerges: 0, splitCalls: 0 });
      expect((await getJson(none.base, '/host/tally')).status).toBe(404);
      const failed = await getJson(down.base, '/host/tally');
      expect(failed.status).toBe(503);
      expect(failed.body.message).toMatch(/ECONNREFUSED/);
    } finally {
      await Promise.all([ok.close(), down.close(), none.close()]);
    }
  });
});
