/**
 * Retention and the batches: a batch locks no call rows (migration 0008) because every other writer of
 * an enterprise's call log takes the enterprise's key first; retention must too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { emulatedCall } from '../../../../test/callLog/emulatedCalls.js';
import { testConfig, uniqueEnterprise, waitFor } from '../../../../test/support/testEnv.js';
import { applyEntry } from './applyEntry.js';
import { entryInput } from './entryInput.js';
import { enterpriseLockKey } from './lockKeys.js';
import { deleteOlderThan } from './maintenance.js';
import { CallLogPartitions } from './partitions.js';

const config = testConfig();
const APP = 'retention-lock-test';
const pool = createPool({ connectionString: config.databaseUrl, max: 4, applicationName: APP });
const db = createDb(pool);
afterAll(async () => {
  await db.destroy();
});

const callsOf = async (enterprise: string) => Number((await db.selectFrom('call_traces').select((eb) => eb.fn.countAll<string>().as('n'))
  .where('enterprise_number', '=', enterprise).executeTakeFirstOrThrow()).n);

describe('retention', () => {
  it('waits for the transaction holding an enterprise\'s key (as a batch does) before it deletes that enterprise\'s old calls', async () => {
    const e = uniqueEnterprise().number;
    const partitions = new CallLogPartitions();
    // Decades old, so no other test's calls fall under this cutoff.
    for (const job of emulatedCall('1-1', { seed: 5, callIndex: 1, startTime: new Date('1995-03-01T10:00:00Z'), ownParties: true }).jobs(e)) {
      await applyEntry(db, partitions, entryInput(job));
    }
    expect(await callsOf(e)).toBe(1);

    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [enterpriseLockKey(e)]);
      let finished = false;
      const retention = deleteOlderThan(db, new Date('2000-01-01T00:00:00Z')).then((r) => { finished = true; return r; });
      // The fault is real: retention's connection waits on an advisory lock while the key is held.
      await waitFor(async () => {
        const { rows } = await pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event = 'advisory' AND query LIKE '%pg_advisory_xact_lock%'`, [APP]);
        return Number(rows[0]!.n) > 0;
      }, 'retention waiting for the enterprise key', 30_000, 50);
      expect(finished).toBe(false);
      expect(await callsOf(e)).toBe(1);
      await holder.query('COMMIT');
      const removed = await retention;
      expect(removed.calls).toBeGreaterThanOrEqual(1);
      expect(await callsOf(e)).toBe(0);
    } finally {
      holder.release();
    }
  }, 120_000);
});
