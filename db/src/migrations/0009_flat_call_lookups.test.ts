import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withScratchDatabase } from '../../../test/support/scratchDatabase.js';

const TABLES = ['call_traces', 'call_ids', 'call_trace_entries', 'call_link_facts'];

/** relkind of each call-log table ('p' partitioned, 'r' plain) and its count of partitions. */
async function shapes(db: Kysely<unknown>): Promise<Record<string, string>> {
  const { rows } = await sql<{ name: string; kind: string; parts: string }>`
    SELECT c.relname AS name, c.relkind AS kind, (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid)::text AS parts
    FROM pg_class c WHERE c.relname = SOME(${TABLES}::text[]) AND c.relnamespace = current_schema()::regnamespace`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, `${r.kind}${r.parts}`]));
}

async function rows(db: Kysely<unknown>): Promise<string[]> {
  const ids = await sql<{ r: string }>`SELECT enterprise_number || ':' || id_value || '→' || call_id AS r FROM call_ids ORDER BY 1`.execute(db);
  const facts = await sql<{ r: string }>`SELECT enterprise_number || ':' || link_key || ':' || role || ':' || node AS r FROM call_link_facts ORDER BY 1`.execute(db);
  return [...ids.rows, ...facts.rows].map((x) => x.r);
}

describe('migration 0009 (flat call lookups)', () => {
  it('makes call_ids and call_link_facts plain tables keeping their rows, and goes back to a partition per enterprise', async () => {
    await withScratchDatabase('m0009', async (db, migrator) => {
      expect((await migrator.migrateTo('0008_call_log_apply_held')).error).toBeUndefined();
      for (const e of ['0101', '0102']) {
        for (const t of TABLES) await sql.raw(`CREATE TABLE ${t}_${e} PARTITION OF ${t} FOR VALUES IN ('${e}')`).execute(db);
        await sql`INSERT INTO call_ids VALUES (${e}, ${`${e}.1`}, ${`${e}.1`}), (${e}, ${`${e}.2`}, ${`${e}.1`})`.execute(db);
        await sql`INSERT INTO call_link_facts (enterprise_number, link_key, role, at, entry_key, node)
          VALUES (${e}, 'ring:SIP/150', 'offer', now(), ${`k${e}`}, ${`${e}.2`})`.execute(db);
      }
      const before = await rows(db);
      expect(before).toHaveLength(6);
      expect(await shapes(db)).toEqual({ call_traces: 'p2', call_ids: 'p2', call_trace_entries: 'p2', call_link_facts: 'p2' });

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await shapes(db)).toEqual({ call_traces: 'p2', call_ids: 'r0', call_trace_entries: 'p2', call_link_facts: 'r0' });
      expect(await rows(db)).toEqual(before);
      // The key still refuses a second row for an id, and the trace page's index is there.
      await expect(sql`INSERT INTO call_ids VALUES ('0101', '0101.1', 'x')`.execute(db)).rejects.toMatchObject({ code: '23505' });
      const idx = await sql<{ n: string }>`SELECT indexname AS n FROM pg_indexes WHERE tablename IN ('call_ids', 'call_link_facts') ORDER BY 1`.execute(db);
      expect(idx.rows.map((r) => r.n)).toEqual(['call_ids_call_idx', 'call_ids_id_idx', 'call_ids_pkey', 'call_link_facts_pkey']);

      expect((await migrator.migrateTo('0008_call_log_apply_held')).error).toBeUndefined();
      expect(await shapes(db)).toEqual({ call_traces: 'p2', call_ids: 'p2', call_trace_entries: 'p2', call_link_facts: 'p2' });
      expect(await rows(db)).toEqual(before);
    });
  });
});
