/**
 * Issue 12: a batch's entries keep their plans instead of planning every statement on every run.
 *
 * 0006 made the call-log functions plan for the enterprise at hand (force_custom_plan): a generic plan
 * over a table LIST-partitioned by enterprise keeps every partition and locks each, with its indexes,
 * on every run. Since 0009 the lookups an entry makes (call_ids, call_link_facts) are plain tables,
 * and inserts route their rows at run time, so what call_log_apply_held runs for an entry needs no
 * plan of its own any more, yet bench/pipeline's pg_stat_statements still put ~0.4 ms of PostgreSQL's
 * ~1 ms an event in planning them. Here call_log_apply_held and call_log_apply_batch keep one plan per
 * session (force_generic_plan), and the few statements that read or change a partitioned table
 * (the duplicate's call, a merge, the batch's read of the calls it touched) run as EXECUTE with their
 * values, which plans them for the enterprise at hand as before.
 */
import { sql, type Kysely } from 'kysely';
import { applyBatchSql } from './0007_call_log_apply_batch.js';
import { up as held0008 } from './0008_call_log_apply_held.js';

const HELD_ARGS = 'text, text, text[], text[], text[], timestamptz[], text[], interval, interval, text, timestamptz, bigint, text, text, jsonb';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    -- 0008's function and result; what changed: the plans (see above).
    CREATE OR REPLACE FUNCTION call_log_apply_held(
      p_enterprise text, p_entry_key text, p_nodes text[],
      f_keys text[], f_roles text[], f_ats timestamptz[], f_nodes text[], ring_before interval, ring_after interval,
      p_kind text, p_at timestamptz, p_seq bigint, p_event_type text, p_chat_id text, p_data jsonb,
      OUT o_call_id text, OUT o_outcome text, OUT o_merged text[]
    ) LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
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
        EXECUTE 'SELECT e.call_id FROM call_trace_entries e WHERE e.enterprise_number = $1 AND e.entry_key = $2'
          INTO o_call_id USING p_enterprise, p_entry_key;
        o_outcome := 'duplicate';
        RETURN;
      END IF;
      o_merged := coalesce(v_calls[2:], '{}');
      o_outcome := CASE WHEN cardinality(v_calls) = 0 THEN 'created' WHEN cardinality(o_merged) > 0 THEN 'merged' ELSE 'appended' END;
      IF cardinality(o_merged) > 0 THEN
        UPDATE call_ids m SET call_id = o_call_id WHERE m.enterprise_number = p_enterprise AND m.call_id = SOME(o_merged);
        EXECUTE 'UPDATE call_trace_entries e SET call_id = $3 WHERE e.enterprise_number = $1 AND e.call_id = SOME($2)'
          USING p_enterprise, o_merged, o_call_id;
        EXECUTE 'DELETE FROM call_traces t WHERE t.enterprise_number = $1 AND t.call_id = SOME($2)'
          USING p_enterprise, o_merged;
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
        INSERT INTO call_traces (enterprise_number, call_id) VALUES (p_enterprise, o_call_id) ON CONFLICT DO NOTHING;
      END IF;
    END $$;

    ${applyBatchSql(`call_log_apply_held(x.enterprise, x.entry_key, x.nodes,
          x.f_keys, x.f_roles, x.f_ats, x.f_nodes, ring_before, ring_after, x.kind, x.at, x.seq, x.event_type, x.chat_id, x.data)`, true)}
  `).execute(db);
}

/** Back to 0008's functions (its up creates call_log_apply_held, so the current one goes first). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP FUNCTION call_log_apply_held(${HELD_ARGS})`).execute(db);
  await held0008(db);
}
