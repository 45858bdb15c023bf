/**
 * The call log joins two records only through something both carry (libs/correlation): the
 * "party" soft link (a dial by a phone while that phone sat in a bridge) is gone, because it merged
 * unrelated calls — a manager holding one customer and calling another from a second line. Its facts
 * (roles dial/enter/leave) are deleted, call_log_calls and call_log_begin lose its branches and
 * arguments, and its span index goes. The ring link (offer/answer) stays. call_link_facts.span
 * stays, always NULL, until call_log_write (0003) is next redefined without it.
 */
import { sql, type Kysely } from 'kysely';

const BEGIN_RETURNS = `TABLE (
      duplicate_of text, call_id text, found boolean, phones text[], extensions text[], unique_ids text[],
      bridge_unique_ids text[], call_types smallint, answered boolean, hangup_seen boolean, busy_seen boolean,
      start_time timestamptz, end_time timestamptz, event_count integer
    )`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    DELETE FROM call_link_facts WHERE role NOT IN ('offer', 'answer');
    DROP INDEX IF EXISTS call_link_facts_span_idx;
    DROP FUNCTION IF EXISTS call_log_begin(text, text, bigint[], text[], text[], text[], timestamptz[], text[], interval, interval, interval);
    DROP FUNCTION IF EXISTS call_log_calls(text, text[], text[], text[], timestamptz[], text[], interval, interval, interval);

    -- The calls an entry joins: those of its ids, and those its ring facts meet (a dial and the new
    -- channels it rang, stamped from ring_before before it to ring_after after it). One small query
    -- per id and per fact, each an index range on (enterprise, key, role, at).
    CREATE FUNCTION call_log_calls(
      p_enterprise text, p_nodes text[], f_keys text[], f_roles text[], f_ats timestamptz[], ring_before interval, ring_after interval
    ) RETURNS SETOF text LANGUAGE plpgsql STABLE AS $$
    DECLARE
      n text;
      i int;
    BEGIN
      FOREACH n IN ARRAY p_nodes LOOP
        RETURN QUERY SELECT m.call_id FROM call_ids m WHERE m.enterprise_number = p_enterprise AND m.id_value = n;
      END LOOP;
      FOR i IN 1 .. coalesce(array_length(f_keys, 1), 0) LOOP
        RETURN QUERY SELECT m.call_id FROM call_link_facts o
          JOIN call_ids m ON m.enterprise_number = p_enterprise AND m.id_value = o.node
          WHERE o.enterprise_number = p_enterprise AND o.link_key = f_keys[i]
            AND o.role = CASE f_roles[i] WHEN 'offer' THEN 'answer' ELSE 'offer' END
            AND o.at BETWEEN f_ats[i] - CASE f_roles[i] WHEN 'offer' THEN ring_before ELSE ring_after END
                         AND f_ats[i] + CASE f_roles[i] WHEN 'offer' THEN ring_after ELSE ring_before END;
      END LOOP;
    END $$;

    -- As in 0002, without the party arguments: lock, say whether the entry is stored, else find the
    -- calls it joins and lock their rows in call_id order (one merged away meanwhile raises 40001).
    CREATE FUNCTION call_log_begin(
      p_enterprise text, p_entry_key text, p_lock_keys bigint[], p_nodes text[],
      f_keys text[], f_roles text[], f_ats timestamptz[], ring_before interval, ring_after interval
    ) RETURNS ${BEGIN_RETURNS} LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      v_dup text;
      v_calls text[];
      v_locked integer;
    BEGIN
      PERFORM call_log_lock(p_lock_keys);
      SELECT e.call_id INTO v_dup FROM call_trace_entries e WHERE e.enterprise_number = p_enterprise AND e.entry_key = p_entry_key;
      IF v_dup IS NOT NULL THEN
        RETURN QUERY SELECT v_dup, NULL::text, false, NULL::text[], NULL::text[], NULL::text[], NULL::text[], NULL::smallint,
          NULL::boolean, NULL::boolean, NULL::boolean, NULL::timestamptz, NULL::timestamptz, NULL::integer;
        RETURN;
      END IF;
      v_calls := ARRAY(SELECT DISTINCT c FROM call_log_calls(p_enterprise, p_nodes, f_keys, f_roles, f_ats, ring_before, ring_after) AS c ORDER BY 1);
      IF cardinality(v_calls) > 0 THEN
        SELECT count(*) INTO v_locked FROM (
          SELECT 1 FROM call_traces t WHERE t.enterprise_number = p_enterprise AND t.call_id = ANY(v_calls) ORDER BY t.call_id FOR UPDATE
        ) AS locked;
        IF v_locked <> cardinality(v_calls) THEN
          RAISE EXCEPTION 'call-log: a call of entry % was merged away while it was being locked', p_entry_key USING ERRCODE = '40001';
        END IF;
      END IF;
      RETURN QUERY SELECT NULL::text, c.id, t.call_id IS NOT NULL, t.phones, t.extensions, t.unique_ids, t.bridge_unique_ids,
        t.call_types, t.answered, t.hangup_seen, t.busy_seen, t.start_time, t.end_time, t.event_count
        FROM unnest(v_calls) AS c(id)
        LEFT JOIN call_traces t ON t.enterprise_number = p_enterprise AND t.call_id = c.id;
    END $$;
  `).execute(db);
}

/** Back to 0002's two functions, as 0002 wrote them (a migration is a snapshot, so they are copied here). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    DROP FUNCTION IF EXISTS call_log_begin(text, text, bigint[], text[], text[], text[], timestamptz[], interval, interval);
    DROP FUNCTION IF EXISTS call_log_calls(text, text[], text[], text[], timestamptz[], interval, interval);
    CREATE INDEX IF NOT EXISTS call_link_facts_span_idx ON call_link_facts (enterprise_number, span) WHERE span IS NOT NULL;

    -- The calls an entry joins: those of its ids, and those its soft facts link to (the relations of
    -- libs/correlation/src/softLinks.ts; its windows are passed in). f_* describe the entry's facts.
    -- One small query per id and per fact, each an index range on (enterprise, key, role, at), so the
    -- plans stay right whatever the statistics say.
    CREATE OR REPLACE FUNCTION call_log_calls(
      p_enterprise text, p_nodes text[], f_keys text[], f_roles text[], f_ats timestamptz[], f_spans text[],
      ring_before interval, ring_after interval, max_stay interval
    ) RETURNS SETOF text LANGUAGE plpgsql STABLE AS $$
    DECLARE
      n text;
      i int;
      k text;
      a timestamptz;
    BEGIN
      FOREACH n IN ARRAY p_nodes LOOP
        RETURN QUERY SELECT m.call_id FROM call_ids m WHERE m.enterprise_number = p_enterprise AND m.id_value = n;
      END LOOP;
      FOR i IN 1 .. coalesce(array_length(f_keys, 1), 0) LOOP
        k := f_keys[i];
        a := f_ats[i];
        IF f_roles[i] = 'offer' THEN
          -- a dial meets the new channels it rang, stamped from 1 s before it to 5 s after it
          RETURN QUERY SELECT m.call_id FROM call_link_facts o
            JOIN call_ids m ON m.enterprise_number = p_enterprise AND m.id_value = o.node
            WHERE o.enterprise_number = p_enterprise AND o.link_key = k AND o.role = 'answer' AND o.at BETWEEN a - ring_before AND a + ring_after;
        ELSIF f_roles[i] = 'answer' THEN
          RETURN QUERY SELECT m.call_id FROM call_link_facts o
            JOIN call_ids m ON m.enterprise_number = p_enterprise AND m.id_value = o.node
            WHERE o.enterprise_number = p_enterprise AND o.link_key = k AND o.role = 'offer' AND o.at BETWEEN a - ring_after AND a + ring_before;
        ELSIF f_roles[i] = 'dial' THEN
          -- a dial on behalf of a party meets the party's closed stays in a bridge around it
          RETURN QUERY SELECT m.call_id FROM call_link_facts en
            JOIN call_link_facts lv ON lv.enterprise_number = p_enterprise AND lv.span = en.span AND lv.role = 'leave' AND lv.link_key = k AND lv.at >= a
            JOIN call_ids m ON m.enterprise_number = p_enterprise AND m.id_value = en.node
            WHERE en.enterprise_number = p_enterprise AND en.link_key = k AND en.role = 'enter' AND en.at BETWEEN a - max_stay AND a;
        ELSIF f_roles[i] = 'enter' THEN
          -- an enter or a leave closes a stay with its stored counterpart; the dials inside it join
          RETURN QUERY SELECT m.call_id FROM call_link_facts lv
            JOIN call_link_facts d ON d.enterprise_number = p_enterprise AND d.link_key = k AND d.role = 'dial'
              AND d.at BETWEEN a AND LEAST(lv.at, a + max_stay)
            JOIN call_ids m ON m.enterprise_number = p_enterprise AND m.id_value = d.node
            WHERE lv.enterprise_number = p_enterprise AND lv.span = f_spans[i] AND lv.role = 'leave' AND lv.link_key = k AND lv.at >= a;
        ELSIF f_roles[i] = 'leave' THEN
          RETURN QUERY SELECT m.call_id FROM call_link_facts en
            JOIN call_link_facts d ON d.enterprise_number = p_enterprise AND d.link_key = k AND d.role = 'dial'
              AND d.at BETWEEN en.at AND LEAST(a, en.at + max_stay)
            JOIN call_ids m ON m.enterprise_number = p_enterprise AND m.id_value = d.node
            WHERE en.enterprise_number = p_enterprise AND en.span = f_spans[i] AND en.role = 'enter' AND en.link_key = k AND en.at <= a;
        END IF;
      END LOOP;
    END $$;

    -- The first half of applying an entry, in one round trip: lock its nodes and link keys (sorted
    -- by the caller); if the entry is stored already, say where; else find the calls it joins and
    -- lock their rows in call_id order (one merged away meanwhile raises 40001, and the caller starts
    -- over); return those calls with their summary columns.
    CREATE OR REPLACE FUNCTION call_log_begin(
      p_enterprise text, p_entry_key text, p_lock_keys bigint[], p_nodes text[],
      f_keys text[], f_roles text[], f_ats timestamptz[], f_spans text[],
      ring_before interval, ring_after interval, max_stay interval
    ) RETURNS TABLE (
      duplicate_of text, call_id text, found boolean, phones text[], extensions text[], unique_ids text[],
      bridge_unique_ids text[], call_types smallint, answered boolean, hangup_seen boolean, busy_seen boolean,
      start_time timestamptz, end_time timestamptz, event_count integer
    ) LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      v_dup text;
      v_calls text[];
      v_locked integer;
    BEGIN
      PERFORM call_log_lock(p_lock_keys);
      SELECT e.call_id INTO v_dup FROM call_trace_entries e WHERE e.enterprise_number = p_enterprise AND e.entry_key = p_entry_key;
      IF v_dup IS NOT NULL THEN
        RETURN QUERY SELECT v_dup, NULL::text, false, NULL::text[], NULL::text[], NULL::text[], NULL::text[], NULL::smallint,
          NULL::boolean, NULL::boolean, NULL::boolean, NULL::timestamptz, NULL::timestamptz, NULL::integer;
        RETURN;
      END IF;
      v_calls := ARRAY(SELECT DISTINCT c FROM call_log_calls(p_enterprise, p_nodes, f_keys, f_roles, f_ats, f_spans, ring_before, ring_after, max_stay) AS c ORDER BY 1);
      IF cardinality(v_calls) > 0 THEN
        -- Only a merge changes which call an id or a fact belongs to, and a merge deletes the calls it
        -- merges away; no one else can add an id or a fact under the locks held here. So if every
        -- call found is still there once locked, the set found is still the right one.
        SELECT count(*) INTO v_locked FROM (
          SELECT 1 FROM call_traces t WHERE t.enterprise_number = p_enterprise AND t.call_id = ANY(v_calls) ORDER BY t.call_id FOR UPDATE
        ) AS locked;
        IF v_locked <> cardinality(v_calls) THEN
          RAISE EXCEPTION 'call-log: a call of entry % was merged away while it was being locked', p_entry_key USING ERRCODE = '40001';
        END IF;
      END IF;
      RETURN QUERY SELECT NULL::text, c.id, t.call_id IS NOT NULL, t.phones, t.extensions, t.unique_ids, t.bridge_unique_ids,
        t.call_types, t.answered, t.hangup_seen, t.busy_seen, t.start_time, t.end_time, t.event_count
        FROM unnest(v_calls) AS c(id)
        LEFT JOIN call_traces t ON t.enterprise_number = p_enterprise AND t.call_id = c.id;
    END $$;
  `).execute(db);
}
