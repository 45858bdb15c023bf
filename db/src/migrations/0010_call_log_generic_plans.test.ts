import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withScratchDatabase } from '../../../test/support/scratchDatabase.js';

const FUNCTIONS = ['call_log_apply_held', 'call_log_apply_batch'];

async function planModes(db: Kysely<unknown>): Promise<Record<string, string>> {
  const { rows } = await sql<{ name: string; config: string[] }>`
    SELECT proname AS name, proconfig AS config FROM pg_proc WHERE proname = SOME(${FUNCTIONS}::text[])`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.config.join(',')]));
}

const entry = (e: string, key: string, nodes: string[]) => ({
  enterprise: e, entry_key: key, nodes, f_keys: [], f_roles: [], f_ats: [], f_nodes: [],
  kind: 'event', at: '2026-12-03T10:00:00Z', seq: 1, event_type: 'dial', chat_id: null, data: { body: { UniqueId: nodes[0] } },
});

/**
 * One batch: two calls opened apart, a third entry naming both (a merge, which moves entries and
 * deletes a call row: the statements run as EXECUTE), the first entry again (a duplicate, whose
 * call is read back the same way), and one more for the merged call's other id (appended). Returns each entry's outcome and the calls left with their events.
 */
async function applyOnce(db: Kysely<unknown>, e: string, tag: string): Promise<{ outcomes: string[]; calls: string[] }> {
  const batch = [
    entry(e, `${tag}-a`, [`${tag}.1`]), entry(e, `${tag}-b`, [`${tag}.2`]),
    entry(e, `${tag}-c`, [`${tag}.1`, `${tag}.2`]), entry(e, `${tag}-a`, [`${tag}.1`]), entry(e, `${tag}-d`, [`${tag}.2`]),
  ];
  const out = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(1)`.execute(trx);
    return sql<{ idx: number | null; call_id: string; outcome: string | null; entry_key: string | null }>`
      SELECT idx, call_id, outcome, entry_key FROM call_log_apply_batch(${JSON.stringify(batch)}::jsonb, interval '5 seconds', interval '5 seconds')`.execute(trx);
  });
  const outcomes = out.rows.filter((r) => r.idx !== null).map((r) => `${r.outcome}→${r.call_id}`);
  const calls = out.rows.filter((r) => r.idx === null).map((r) => `${r.call_id}:${r.entry_key}`).sort();
  return { outcomes, calls };
}

describe('migration 0010 (generic plans in the call-log batch)', () => {
  it('keeps plans per session yet gives the same outcomes: created, appended, merged, duplicate; and goes back', async () => {
    await withScratchDatabase('m0010', async (db, migrator) => {
      expect((await migrator.migrateTo('0009_flat_call_lookups')).error).toBeUndefined();
      for (const e of ['0201', '0202']) {
        await sql.raw(`INSERT INTO enterprises (number, name) VALUES ('${e}', 'm0010 ${e}')`).execute(db);
        for (const t of ['call_traces', 'call_trace_entries']) await sql.raw(`CREATE TABLE ${t}_${e} PARTITION OF ${t} FOR VALUES IN ('${e}')`).execute(db);
      }
      expect(await planModes(db)).toEqual({ call_log_apply_held: 'plan_cache_mode=force_custom_plan', call_log_apply_batch: 'plan_cache_mode=force_custom_plan' });
      const before = await applyOnce(db, '0201', 'x');

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await planModes(db)).toEqual({ call_log_apply_held: 'plan_cache_mode=force_generic_plan', call_log_apply_batch: 'plan_cache_mode=force_generic_plan' });
      // The same batch on another enterprise gives the same outcomes, and more than five runs on one
      // session (where a cached plan takes over) still prune to the enterprise at hand.
      const after = await applyOnce(db, '0202', 'x');
      expect(after).toEqual(before);
      expect(before.outcomes).toEqual(['created→x.1', 'created→x.2', 'merged→x.1', 'duplicate→x.1', 'appended→x.1']);
      expect(before.calls).toEqual(['x.1:x-a', 'x.1:x-b', 'x.1:x-c', 'x.1:x-d']);
      for (let i = 0; i < 7; i++) expect((await applyOnce(db, i % 2 ? '0201' : '0202', `r${i}`)).outcomes).toEqual([`created→r${i}.1`, `created→r${i}.2`, `merged→r${i}.1`, `duplicate→r${i}.1`, `appended→r${i}.1`]);
      const left = await sql<{ e: string; n: string }>`SELECT enterprise_number AS e, count(*)::text AS n FROM call_traces GROUP BY 1 ORDER BY 1`.execute(db);
      expect(left.rows).toEqual([{ e: '0201', n: '4' }, { e: '0202', n: '5' }]);

      expect((await migrator.migrateTo('0009_flat_call_lookups')).error).toBeUndefined();
      expect(await planModes(db)).toEqual({ call_log_apply_held: 'plan_cache_mode=force_custom_plan', call_log_apply_batch: 'plan_cache_mode=force_custom_plan' });
      expect((await applyOnce(db, '0201', 'y')).outcomes).toEqual(['created→y.1', 'created→y.2', 'merged→y.1', 'duplicate→y.1', 'appended→y.1']);
    });
  });
});
