/**
 * Issue 12: a batch's entry in two or three planned statements instead of eleven.
 *
 * bench/pipeline's pg_stat_statements (track=all, track_planning) put half of PostgreSQL's time per
 * event in PLANNING the statements inside call_log_apply_one: each is planned for its enterprise's
 * partition on every run (force_custom_plan, see 0006), ~0.1 ms apiece on a busy machine, and an entry
 * ran eleven (the shared enterprise key, node locks, a duplicate check, one lookup per id, the row
 * locks, the entry, its ids, the call row bumped on every entry).
 *
 * A batch holds each of its enterprises' keys EXCLUSIVELY (apps/workers/src/callLog/applyBatch.ts),
 * and every other writer of an enterprise's call log takes that key first: single entries shared
 * (call_log_apply_one), retention exclusively (maintenance.ts). So inside a batch nothing else can
 * open, merge or delete the enterprise's calls, and call_log_apply_held leaves out what only guards
 * against that: the node locks and the row locks. What is left, per entry:
 *
 * 1. the calls its ids name (one lookup for all of them) and, when it states ring facts, the calls
 *    they link to;
 * 2. the entry itself, ON CONFLICT DO NOTHING: not stored means a duplicate, which reads its call
 *    and changes nothing (no merge);
 * 3. only when needed: the merge, the ids the log did not know yet, the ring facts, the new call's row
 *    (an existing call's row is written once per batch by call_log_summaries, not bumped per entry).
 */
import { sql, type Kysely } from 'kysely';
import { applyBatchSql } from './0007_call_log_apply_batch.js';

const HELD_ARGS = 'text, text, text[], text[], text[], timestamptz[], text[], interval, interval, text, timestamptz, bigint, text, text, jsonb';

/** How call_log_apply_batch applies its entry x with call_log_apply_held (0010 too). */
export const APPLY_HELD = `call_log_apply_held(x.enterprise, x.entry_key, x.nodes,
          x.f_keys, x.f_roles, x.f_ats, x.f_nodes, ring_before, ring_after, x.kind, x.at, x.seq, x.event_type, x.chat_id, x.data)`;

/**
 * call_log_apply_held. `generic` (0010): one plan per session for its statements, and the ones on a
 * partitioned table (a duplicate's call, a merge's moves) as EXECUTE, planned for their enterprise.
 */
export function heldFunctionSql(verb: 'CREATE' | 'CREATE OR REPLACE', generic = false): string {
  return `
    -- For an enterprise whose key this transaction holds exclusively. p_nodes: distinct, the first
    -- names a call the entry opens.
    ${verb} FUNCTION call_log_apply_held(
      p_enterprise text, p_entry_key text, p_nodes text[],
      f_keys text[], f_roles text[], f_ats timestamptz[], f_nodes text[], ring_before interval, ring_after interval,
      p_kind text, p_at timestamptz, p_seq bigint, p_event_type text, p_chat_id text, p_data jsonb,
      OUT o_call_id text, OUT o_outcome text, OUT o_merged text[]
    ) LANGUAGE plpgsql SET plan_cache_mode = ${generic ? 'force_generic_plan' : 'force_custom_plan'} AS $$
    #variable_conflict use_column
    DECLARE
      v_calls text[];
      v_known integer;
      v_linked text[] := '{}';
    BEGIN
      o_merged := '{}';
      SELECT coalesce(array_agg(m.call_id), '{}'), count(*) INTO v_calls, v_known
        FROM call_ids m WHERE m.enterprise_number = p_enterprise AND m.id_value = SOME(p_nodes);
      IF cardinality(f_keys) > 0 THEN
        -- The ring link (libs/correlation/src/softLinks.ts): a dial meets the channels it rang within
        -- the window, and an answer the dial that rang it.
        v_linked := ARRAY(
          SELECT m.call_id FROM unnest(f_keys, f_roles, f_ats) AS f(k, r, a)
          JOIN call_link_facts o ON o.enterprise_number = p_enterprise AND o.link_key = f.k
            AND o.role = CASE f.r WHEN 'offer' THEN 'answer' ELSE 'offer' END
            AND o.at BETWEEN f.a - CASE f.r WHEN 'offer' THEN ring_before ELSE ring_after END
                         AND f.a + CASE f.r WHEN 'offer' THEN ring_after ELSE ring_before END
          JOIN call_ids m ON m.enterprise_number = p_enterprise AND m.id_value = o.node);
      END IF;
      -- Several calls merge into the smallest id; one (the usual case) needs no sorting.
      IF cardinality(v_calls) + cardinality(v_linked) > 1 THEN
        v_calls := ARRAY(SELECT DISTINCT c FROM unnest(v_calls || v_linked) AS c ORDER BY 1);
      ELSE
        v_calls := v_calls || v_linked;
      END IF;
      o_call_id := coalesce(v_calls[1], p_nodes[1]);
      INSERT INTO call_trace_entries (enterprise_number, entry_key, call_id, kind, at, seq, event_type, chat_id, data)
      VALUES (p_enterprise, p_entry_key, o_call_id, p_kind, p_at, p_seq, p_event_type, p_chat_id, p_data)
      ON CONFLICT (enterprise_number, entry_key) DO NOTHING;
      IF NOT FOUND THEN
        ${generic
    ? `EXECUTE 'SELECT e.call_id FROM call_trace_entries e WHERE e.enterprise_number = $1 AND e.entry_key = $2'
          INTO o_call_id USING p_enterprise, p_entry_key;`
    : 'SELECT e.call_id INTO o_call_id FROM call_trace_entries e WHERE e.enterprise_number = p_enterprise AND e.entry_key = p_entry_key;'}
        o_outcome := 'duplicate';
        RETURN;
      END IF;
      o_merged := coalesce(v_calls[2:], '{}');
      o_outcome := CASE WHEN cardinality(v_calls) = 0 THEN 'created' WHEN cardinality(o_merged) > 0 THEN 'merged' ELSE 'appended' END;
      IF cardinality(o_merged) > 0 THEN
        UPDATE call_ids m SET call_id = o_call_id WHERE m.enterprise_number = p_enterprise AND m.call_id = SOME(o_merged);
        ${generic
    ? `EXECUTE 'UPDATE call_trace_entries e SET call_id = $3 WHERE e.enterprise_number = $1 AND e.call_id = SOME($2)'
          USING p_enterprise, o_merged, o_call_id;
        EXECUTE 'DELETE FROM call_traces t WHERE t.enterprise_number = $1 AND t.call_id = SOME($2)'
          USING p_enterprise, o_merged;`
    : `UPDATE call_trace_entries e SET call_id = o_call_id WHERE e.enterprise_number = p_enterprise AND e.call_id = SOME(o_merged);
        DELETE FROM call_traces t WHERE t.enterprise_number = p_enterprise AND t.call_id = SOME(o_merged);`}
      END IF;
      IF v_known < cardinality(p_nodes) THEN
        INSERT INTO call_ids (enterprise_number, id_value, call_id)
        SELECT p_enterprise, n, o_call_id FROM unnest(p_nodes) AS n
        ON CONFLICT (enterprise_number, id_value) DO NOTHING;
      END IF;
      IF cardinality(f_keys) > 0 THEN
        INSERT INTO call_link_facts (enterprise_number, link_key, role, at, entry_key, node)
        SELECT p_enterprise, k, r, a, p_entry_key, n FROM unnest(f_keys, f_roles, f_ats, f_nodes) AS f(k, r, a, n)
        ON CONFLICT DO NOTHING;
      END IF;
      IF o_outcome = 'created' THEN
        -- The summary columns keep their defaults until call_log_summaries writes them.
        INSERT INTO call_traces (enterprise_number, call_id) VALUES (p_enterprise, o_call_id) ON CONFLICT DO NOTHING;
      END IF;
    END $$;
  `;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    ${heldFunctionSql('CREATE')}

    ${applyBatchSql(APPLY_HELD)}
  `).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    ${applyBatchSql(`call_log_apply_one(x.enterprise, x.entry_key, x.enterprise_lock, x.lock_keys, x.nodes,
          x.f_keys, x.f_roles, x.f_ats, x.f_nodes, ring_before, ring_after, x.kind, x.at, x.seq, x.event_type, x.chat_id, x.data)`)}
    DROP FUNCTION IF EXISTS call_log_apply_held(${HELD_ARGS});
  `).execute(db);
}
