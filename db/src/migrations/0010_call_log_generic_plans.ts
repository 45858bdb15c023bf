/**
 * Issue 12: a batch's entries keep their plans instead of planning every statement on every run.
 *
 * 0006 made the call-log functions plan for the enterprise at hand (force_custom_plan): a generic plan
 * over a table LIST-partitioned by enterprise keeps every partition and locks each, with its indexes,
 * on every run. Since 0009 the lookups an entry makes (call_ids, call_link_facts) are plain tables,
 * and inserts route their rows at run time, so what call_log_apply_held runs for an entry needs no
 * plan of its own, yet bench/pipeline's pg_stat_statements still put ~0.4 ms of PostgreSQL's
 * ~1 ms an event in planning them. Here call_log_apply_held and call_log_apply_batch keep one plan per
 * session (force_generic_plan), and the few statements that read or change a partitioned table
 * (the duplicate's call, a merge, the batch's read of the calls it touched) run as EXECUTE with their
 * values, which plans them for the enterprise at hand as before.
 */
import { sql, type Kysely } from 'kysely';
import { applyBatchSql } from './0007_call_log_apply_batch.js';
import { APPLY_HELD, heldFunctionSql } from './0008_call_log_apply_held.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    -- 0008's function and result; what changed: the plans (see above).
    ${heldFunctionSql('CREATE OR REPLACE', true)}

    ${applyBatchSql(APPLY_HELD, true)}
  `).execute(db);
}

/** Back to 0008's functions. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    ${heldFunctionSql('CREATE OR REPLACE')}

    ${applyBatchSql(APPLY_HELD)}
  `).execute(db);
}
