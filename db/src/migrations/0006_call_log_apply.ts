/**
 * Issue 12: an entry is applied in ONE round trip, and a call's summary written once per transaction.
 *
 * call_log_apply does what call_log_begin and call_log_write did between them, minus the summary:
 * lock the entry's nodes, say whether it is stored, find the calls it joins and lock their rows, merge
 * them into the smallest id, store the entry, its ids and ring facts, make sure the call's row exists;
 * then return the call's events (and the enterprise's time zone), from which the caller computes the
 * call facts and the fold. call_log_summaries then writes the summaries of every call a transaction
 * touched, in one more round trip (a batch of events touches many: ../../../apps/workers/src/callLog).
 *
 * Plans: statements inside PL/pgSQL are planned once per session and, after five runs, reused as a
 * generic plan when that looks no dearer. A generic plan over a table LIST-partitioned by enterprise
 * keeps every partition and locks each (with its indexes) at every run: with 800 enterprises
 * call_log_begin took ~15 ms a call against ~0.8 ms with a plan made for the enterprise at hand. So
 * these functions plan for the enterprise at hand (force_custom_plan). Inserts route rows at run time
 * and are not affected.
 */
import { sql, type Kysely } from 'kysely';

const OLD = [
  'call_log_begin(text, text, bigint[], text[], text[], text[], timestamptz[], interval, interval)',
  'call_log_calls(text, text[], text[], text[], timestamptz[], interval, interval)',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const f of OLD) await sql.raw(`ALTER FUNCTION ${f} SET plan_cache_mode = force_custom_plan`).execute(db);
  await sql.raw(`
    CREATE FUNCTION call_log_apply(
      p_enterprise text, p_entry_key text, p_enterprise_lock bigint, p_lock_keys bigint[], p_nodes text[],
      f_keys text[], f_roles text[], f_ats timestamptz[], f_nodes text[], ring_before interval, ring_after interval,
      p_kind text, p_at timestamptz, p_seq bigint, p_event_type text, p_chat_id text, p_data jsonb
    ) RETURNS TABLE (
      call_id text, outcome text, merged text[], tz text, entry_key text, event_type text, at timestamptz, seq bigint, body jsonb
    ) LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
    #variable_conflict use_column
    DECLARE
      v_target text;
      v_calls text[];
      v_others text[] := '{}';
      v_outcome text;
      v_locked integer;
    BEGIN
      -- Shared: entries applied one by one run side by side; a batch already holds it exclusively.
      PERFORM pg_advisory_xact_lock_shared(p_enterprise_lock);
      PERFORM call_log_lock(p_lock_keys);
      SELECT e.call_id INTO v_target FROM call_trace_entries e WHERE e.enterprise_number = p_enterprise AND e.entry_key = p_entry_key;
      IF v_target IS NOT NULL THEN
        v_outcome := 'duplicate';
      ELSE
        v_calls := ARRAY(SELECT DISTINCT c FROM call_log_calls(p_enterprise, p_nodes, f_keys, f_roles, f_ats, ring_before, ring_after) AS c ORDER BY 1);
        IF cardinality(v_calls) > 0 THEN
          SELECT count(*) INTO v_locked FROM (
            SELECT 1 FROM call_traces t WHERE t.enterprise_number = p_enterprise AND t.call_id = ANY(v_calls) ORDER BY t.call_id FOR UPDATE
          ) AS locked;
          IF v_locked <> cardinality(v_calls) THEN
            RAISE EXCEPTION 'call-log: a call of entry % was merged away while it was being locked', p_entry_key USING ERRCODE = '40001';
          END IF;
        END IF;
        v_target := coalesce(v_calls[1], p_nodes[1]);
        v_others := coalesce(v_calls[2:], '{}');
        v_outcome := CASE WHEN cardinality(v_calls) = 0 THEN 'created' WHEN cardinality(v_others) > 0 THEN 'merged' ELSE 'appended' END;
        IF cardinality(v_others) > 0 THEN
          UPDATE call_ids m SET call_id = v_target WHERE m.enterprise_number = p_enterprise AND m.call_id = ANY(v_others);
          UPDATE call_trace_entries e SET call_id = v_target WHERE e.enterprise_number = p_enterprise AND e.call_id = ANY(v_others);
          DELETE FROM call_traces t WHERE t.enterprise_number = p_enterprise AND t.call_id = ANY(v_others);
        END IF;
        INSERT INTO call_trace_entries (enterprise_number, entry_key, call_id, kind, at, seq, event_type, chat_id, data)
        VALUES (p_enterprise, p_entry_key, v_target, p_kind, p_at, p_seq, p_event_type, p_chat_id, p_data);
        INSERT INTO call_ids (enterprise_number, id_value, call_id)
        SELECT p_enterprise, n, v_target FROM unnest(p_nodes) AS n
        ON CONFLICT (enterprise_number, id_value) DO NOTHING;
        IF cardinality(f_keys) > 0 THEN
          INSERT INTO call_link_facts (enterprise_number, link_key, role, at, entry_key, node)
          SELECT p_enterprise, k, r, a, p_entry_key, n FROM unnest(f_keys, f_roles, f_ats, f_nodes) AS f(k, r, a, n)
          ON CONFLICT DO NOTHING;
        END IF;
        -- The summary columns keep their defaults until call_log_summaries writes them.
        INSERT INTO call_traces AS t (enterprise_number, call_id) VALUES (p_enterprise, v_target)
        ON CONFLICT (enterprise_number, call_id) DO UPDATE SET updated_at = now();
      END IF;
      RETURN QUERY
        SELECT v_target, v_outcome, v_others, z.tz, e.entry_key, e.event_type, e.at, e.seq, e.data -> 'body'
        FROM (SELECT (SELECT n.time_zone FROM enterprises n WHERE n.number = p_enterprise) AS tz) AS z
        LEFT JOIN call_trace_entries e
          ON p_kind = 'event' AND e.enterprise_number = p_enterprise AND e.call_id = v_target AND e.kind = 'event';
    END $$;

    -- The summaries of many calls (a JSON array of call_traces columns, one object a call), one UPDATE
    -- each, planned for its enterprise.
    CREATE FUNCTION call_log_summaries(p jsonb) RETURNS integer LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
    DECLARE
      r record;
      n integer := 0;
    BEGIN
      FOR r IN SELECT * FROM jsonb_to_recordset(p) AS x(
        enterprise text, call_id text, phones text[], extensions text[], direction text, answered boolean, status text,
        start_time timestamptz, end_time timestamptz, duration_sec integer, unique_ids text[], bridge_unique_ids text[],
        event_count integer, call_types smallint, hangup_seen boolean, busy_seen boolean)
      LOOP
        UPDATE call_traces t SET phones = r.phones, extensions = r.extensions, direction = r.direction, answered = r.answered,
          status = r.status, start_time = r.start_time, end_time = r.end_time, duration_sec = r.duration_sec,
          unique_ids = r.unique_ids, bridge_unique_ids = r.bridge_unique_ids, event_count = r.event_count,
          call_types = r.call_types, hangup_seen = r.hangup_seen, busy_seen = r.busy_seen, updated_at = now()
        WHERE t.enterprise_number = r.enterprise AND t.call_id = r.call_id;
        n := n + 1;
      END LOOP;
      RETURN n;
    END $$;
  `).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    DROP FUNCTION IF EXISTS call_log_summaries(jsonb);
    DROP FUNCTION IF EXISTS call_log_apply(text, text, bigint, bigint[], text[], text[], text[], timestamptz[], text[], interval, interval, text, timestamptz, bigint, text, text, jsonb);
  `).execute(db);
  for (const f of OLD) await sql.raw(`ALTER FUNCTION ${f} RESET plan_cache_mode`).execute(db);
}
