import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { PARTITION_ANALYZE_THRESHOLD } from '@callpipe/db';
import { withScratchDatabase } from '../../../test/support/scratchDatabase.js';

async function options(db: Kysely<unknown>): Promise<Record<string, string[] | null>> {
  const { rows } = await sql<{ name: string; options: string[] | null }>`
    SELECT relname AS name, reloptions AS options FROM pg_class WHERE relname LIKE 'call\\_trace%\\_04%' AND relkind = 'r' ORDER BY 1`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.options]));
}

describe('migration 0013 (call-log partitions analyzed after 20,000 changes)', () => {
  it('sets the threshold on every partition made before it, leaves other tables alone, and takes it back', async () => {
    await withScratchDatabase('m0013', async (db, migrator) => {
      expect((await migrator.migrateTo('0012_party_names_function')).error).toBeUndefined();
      for (const e of ['0401', '0402']) {
        for (const t of ['call_traces', 'call_trace_entries']) await sql.raw(`CREATE TABLE ${t}_${e} PARTITION OF ${t} FOR VALUES IN ('${e}')`).execute(db);
      }
      // Named like a partition, not one: untouched.
      await sql.raw(`CREATE TABLE call_trace_entries_0403 (x int)`).execute(db);
      const set = [`autovacuum_analyze_threshold=${PARTITION_ANALYZE_THRESHOLD}`];
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await options(db)).toEqual({
        call_trace_entries_0401: set, call_trace_entries_0402: set, call_trace_entries_0403: null, call_traces_0401: set, call_traces_0402: set,
      });
      expect((await migrator.migrateTo('0012_party_names_function')).error).toBeUndefined();
      expect(Object.values(await options(db)).every((o) => o === null || o.length === 0)).toBe(true);
    });
  });
});
