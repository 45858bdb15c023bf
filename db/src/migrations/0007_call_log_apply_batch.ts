/**
 * Issue 12: a batch of entries in ONE round trip, and a call's events read once per batch.
 *
 * call_log_apply_one is call_log_apply's body (0006) without its last statement: it applies one entry
 * and says what it did (call, outcome, calls merged), not what the call now holds. call_log_apply
 * keeps its signature and result, now as call_log_apply_one plus the call's events.
 *
 * call_log_apply_batch applies a JSON array of entries in order, each as call_log_apply_one, and
 * returns one row per entry, then the events of every call the batch left standing, once per call.
 * A batch used to cost one round trip per entry, each returning all of its call's events, so one
 * enterprise's batch waited a round trip per event behind it and a slow link to the database made a
 * batch slower than single entries (the resilience test at 50 ms latency); now a batch costs the
 * same round trips whatever its size (../../../apps/workers/src/callLog/applyBatch.ts).
 */
import { sql, type Kysely } from 'kysely';

const APPLY_ARGS = 'text, text, bigint, bigint[], text[], text[], text[], timestamptz[], text[], interval, interval, text, timestamptz, bigint, text, text, jsonb';

/**
 * call_log_apply_batch, applying each entry with `applyOne` (a call of a function returning
 * o_call_id, o_outcome, o_merged for the entry `x`): 0008 swaps in the function it applies with.
 * `generic` (0010): the loop's statements keep one plan per session, and the read of the touched
 * calls' events, the one statement on a partitioned table, is planned for its enterprise each run.
 */
export function applyBatchSql(applyOne: string, generic = false): string {
  const eventsOfCall = `SELECT NULL::integer, v_ent, v_call, NULL::text, NULL::text[],
            (SELECT n.time_zone FROM enterprises n WHERE n.number = v_ent), e.entry_key, e.event_type, e.at, e.seq, e.data -> 'body'
          FROM call_trace_entries e
          WHERE e.enterprise_number = v_ent AND e.call_id = v_call AND e.kind = 'event'`;
  return `
    -- Rows with idx: entry idx (0-based) went to call_id with outcome, merging the calls in merged.
    -- Rows without: an event of a call the batch touched and left standing, with its enterprise's zone.
    CREATE OR REPLACE FUNCTION call_log_apply_batch(p jsonb, ring_before interval, ring_after interval) RETURNS TABLE (
      idx integer, enterprise text, call_id text, outcome text, merged text[],
      tz text, entry_key text, event_type text, at timestamptz, seq bigint, body jsonb
    ) LANGUAGE plpgsql SET plan_cache_mode = ${generic ? 'force_generic_plan' : 'force_custom_plan'} AS $$
    #variable_conflict use_column
    DECLARE
      x call_log_batch_entry;
      r record;
      m text;
      touched text[] := '{}';
      t text;
      v_ent text;
      v_call text;
    BEGIN
      FOR i IN 0 .. coalesce(jsonb_array_length(p), 0) - 1 LOOP
        x := jsonb_populate_record(NULL::call_log_batch_entry, p -> i);
        SELECT * INTO r FROM ${applyOne};
        FOREACH m IN ARRAY r.o_merged LOOP
          touched := array_remove(touched, x.enterprise || '|' || m);
        END LOOP;
        -- Only events feed a summary and the after-entry steps; other kinds' calls are not read back.
        IF x.kind = 'event' THEN
          touched := array_append(array_remove(touched, x.enterprise || '|' || r.o_call_id), x.enterprise || '|' || r.o_call_id);
        END IF;
        RETURN QUERY SELECT i, x.enterprise, r.o_call_id, r.o_outcome, r.o_merged,
          NULL::text, NULL::text, NULL::text, NULL::timestamptz, NULL::bigint, NULL::jsonb;
      END LOOP;
      -- Enterprise numbers hold no '|' (partition names: letters, digits, _), so the first one splits.
      FOREACH t IN ARRAY touched LOOP
        v_ent := split_part(t, '|', 1);
        v_call := substr(t, length(v_ent) + 2);
        ${generic
    ? `RETURN QUERY EXECUTE $q$${eventsOfCall.replace(/\bv_ent\b/g, () => '$1').replace(/\bv_call\b/g, () => '$2')}$q$ USING v_ent, v_call;`
    : `RETURN QUERY
          ${eventsOfCall};`}
      END LOOP;
    END $$;
  `;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    CREATE FUNCTION call_log_apply_one(
      p_enterprise text, p_entry_key text, p_enterprise_lock bigint, p_lock_keys bigint[], p_nodes text[],
      f_keys text[], f_roles text[], f_ats timestamptz[], f_nodes text[], ring_before interval, ring_after interval,
      p_kind text, p_at timestamptz, p_seq bigint, p_event_type text, p_chat_id text, p_data jsonb,
      OUT o_call_id text, OUT o_outcome text, OUT o_merged text[]
    ) LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
    #variable_conflict use_column
    DECLARE
      v_calls text[];
      v_locked integer;
    BEGIN
      o_merged := '{}';
      -- Shared: entries applied one by one run side by side; a batch already holds it exclusively.
      PERFORM pg_advisory_xact_lock_shared(p_enterprise_lock);
      PERFORM call_log_lock(p_lock_keys);
      SELECT e.call_id INTO o_call_id FROM call_trace_entries e WHERE e.enterprise_number = p_enterprise AND e.entry_key = p_entry_key;
      IF o_call_id IS NOT NULL THEN
        o_outcome := 'duplicate';
        RETURN;
      END IF;
      v_calls := ARRAY(SELECT DISTINCT c FROM call_log_calls(p_enterprise, p_nodes, f_keys, f_roles, f_ats, ring_before, ring_after) AS c ORDER BY 1);
      IF cardinality(v_calls) > 0 THEN
        SELECT count(*) INTO v_locked FROM (
          SELECT 1 FROM call_traces t WHERE t.enterprise_number = p_enterprise AND t.call_id = SOME(v_calls) ORDER BY t.call_id FOR UPDATE
        ) AS locked;
        IF v_locked <> cardinality(v_calls) THEN
          RAISE EXCEPTION 'call-log: a call of entry % was merged away while it was being locked', p_entry_key USING ERRCODE = '40001';
        END IF;
      END IF;
      o_call_id := coalesce(v_calls[1], p_nodes[1]);
      o_merged := coalesce(v_calls[2:], '{}');
      o_outcome := CASE WHEN cardinality(v_calls) = 0 THEN 'created' WHEN cardinality(o_merged) > 0 THEN 'merged' ELSE 'appended' END;
      IF cardinality(o_merged) > 0 THEN
        UPDATE call_ids m SET call_id = o_call_id WHERE m.enterprise_number = p_enterprise AND m.call_id = SOME(o_merged);
        UPDATE call_trace_entries e SET call_id = o_call_id WHERE e.enterprise_number = p_enterprise AND e.call_id = SOME(o_merged);
        DELETE FROM call_traces t WHERE t.enterprise_number = p_enterprise AND t.call_id = SOME(o_merged);
      END IF;
      INSERT INTO call_trace_entries (enterprise_number, entry_key, call_id, kind, at, seq, event_type, chat_id, data)
      VALUES (p_enterprise, p_entry_key, o_call_id, p_kind, p_at, p_seq, p_event_type, p_chat_id, p_data);
      INSERT INTO call_ids (enterprise_number, id_value, call_id)
      SELECT p_enterprise, n, o_call_id FROM unnest(p_nodes) AS n
      ON CONFLICT (enterprise_number, id_value) DO NOTHING;
      IF cardinality(f_keys) > 0 THEN
        INSERT INTO call_link_facts (enterprise_number, link_key, role, at, entry_key, node)
        SELECT p_enterprise, k, r, a, p_entry_key, n FROM unnest(f_keys, f_roles, f_ats, f_nodes) AS f(k, r, a, n)
        ON CONFLICT DO NOTHING;
      END IF;
      -- The summary columns keep their defaults until call_log_summaries writes them.
      INSERT INTO call_traces AS t (enterprise_number, call_id) VALUES (p_enterprise, o_call_id)
      ON CONFLICT (enterprise_number, call_id) DO UPDATE SET updated_at = now();
    END $$;

    CREATE OR REPLACE FUNCTION call_log_apply(
      p_enterprise text, p_entry_key text, p_enterprise_lock bigint, p_lock_keys bigint[], p_nodes text[],
      f_keys text[], f_roles text[], f_ats timestamptz[], f_nodes text[], ring_before interval, ring_after interval,
      p_kind text, p_at timestamptz, p_seq bigint, p_event_type text, p_chat_id text, p_data jsonb
    ) RETURNS TABLE (
      call_id text, outcome text, merged text[], tz text, entry_key text, event_type text, at timestamptz, seq bigint, body jsonb
    ) LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
    #variable_conflict use_column
    DECLARE
      r record;
      v_tz text;
    BEGIN
      SELECT * INTO r FROM call_log_apply_one(p_enterprise, p_entry_key, p_enterprise_lock, p_lock_keys, p_nodes,
        f_keys, f_roles, f_ats, f_nodes, ring_before, ring_after, p_kind, p_at, p_seq, p_event_type, p_chat_id, p_data);
      v_tz := (SELECT n.time_zone FROM enterprises n WHERE n.number = p_enterprise);
      -- Not 0006's LEFT JOIN ON p_kind = 'event' AND …: for every other kind that condition folds to
      -- false, and a join condition folded to false prunes no partition, so every Telegram or CRM entry
      -- planned and locked every partition of call_trace_entries (~40 ms of CPU each at 400 enterprises).
      IF p_kind <> 'event' THEN
        RETURN QUERY SELECT r.o_call_id, r.o_outcome, r.o_merged, v_tz, NULL::text, NULL::text, NULL::timestamptz, NULL::bigint, NULL::jsonb;
        RETURN;
      END IF;
      RETURN QUERY
        SELECT r.o_call_id, r.o_outcome, r.o_merged, v_tz, e.entry_key, e.event_type, e.at, e.seq, e.data -> 'body'
        FROM call_trace_entries e
        WHERE e.enterprise_number = p_enterprise AND e.call_id = r.o_call_id AND e.kind = 'event';
    END $$;

    -- One entry of a batch, as the worker sends it (lock keys as decimal strings: they pass 2^53).
    CREATE TYPE call_log_batch_entry AS (
      enterprise text, entry_key text, enterprise_lock bigint, lock_keys bigint[], nodes text[],
      f_keys text[], f_roles text[], f_ats timestamptz[], f_nodes text[],
      kind text, at timestamptz, seq bigint, event_type text, chat_id text, data jsonb
    );

    ${applyBatchSql('call_log_apply_one(x.enterprise, x.entry_key, x.enterprise_lock, x.lock_keys, x.nodes,\n          x.f_keys, x.f_roles, x.f_ats, x.f_nodes, ring_before, ring_after, x.kind, x.at, x.seq, x.event_type, x.chat_id, x.data)')}
  `).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    DROP FUNCTION IF EXISTS call_log_apply_batch(jsonb, interval, interval);
    DROP TYPE IF EXISTS call_log_batch_entry;
    DROP FUNCTION IF EXISTS call_log_apply(${APPLY_ARGS});
  `).execute(db);
  // call_log_apply as 0006 made it (standalone), before the function it now calls goes.
  const m0006 = await import('./0006_call_log_apply.js');
  await sql.raw(`DROP FUNCTION IF EXISTS call_log_summaries(jsonb)`).execute(db);
  await m0006.up(db);
  await sql.raw(`DROP FUNCTION IF EXISTS call_log_apply_one(${APPLY_ARGS})`).execute(db);
}
