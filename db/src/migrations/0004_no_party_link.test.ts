import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withScratchDatabase } from '../../../test/support/scratchDatabase.js';

/** The argument lists of the call-log functions a database has. */
async function signatures(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ sig: string }>`
    SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS sig FROM pg_proc p
    WHERE p.proname IN ('call_log_begin', 'call_log_calls') ORDER BY 1`.execute(db);
  return rows.map((r) => r.sig.replace(/\b(p|f)_\w+ |\bring_\w+ |\bmax_stay /g, ''));
}

describe('migration 0004 (no party link)', () => {
  it('replaces the call-log lookup functions with ones without the party arguments, and goes back', async () => {
    await withScratchDatabase('m0004', async (db, migrator) => {
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await signatures(db)).toEqual([
        'call_log_begin(text, text, bigint[], text[], text[], text[], timestamp with time zone[], interval, interval)',
        'call_log_calls(text, text[], text[], text[], timestamp with time zone[], interval, interval)',
      ]);
      // Back to just before 0004 (whatever came after it is undone first).
      expect((await migrator.migrateTo('0003_call_facts')).error).toBeUndefined();
      expect(await signatures(db)).toEqual([
        'call_log_begin(text, text, bigint[], text[], text[], text[], timestamp with time zone[], text[], interval, interval, interval)',
        'call_log_calls(text, text[], text[], text[], timestamp with time zone[], text[], interval, interval, interval)',
      ]);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await signatures(db)).toHaveLength(2);
    });
  });
});
