/**
 * The call log: one record per call, whatever order its events arrive in.
 *
 * - call_traces: one row per call, its summary (a fold over its events, see libs/correlation).
 * - call_ids: every id of a call (UniqueId, BridgeUniqueid, Linkedid, Local pair) → the call; the
 *   graph's nodes. Looking a call up by any of its ids is one index probe.
 * - call_trace_entries: the timeline, append-only: events, Telegram sends, lookups, CRM attempts.
 *   Rows, not a growing JSONB array (which PostgreSQL rewrites whole on every append past ~2 kB).
 * - call_link_facts: the time-bounded facts the soft links are matched on (libs/correlation/softLinks).
 *
 * All four are LIST-partitioned by enterprise_number; the call-log worker creates an enterprise's
 * partitions on first use. Every unique key includes the partition key, so ON CONFLICT works.
 * The 0001 call_traces (never used) is replaced.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS call_traces CASCADE;

    CREATE TABLE call_traces (
      enterprise_number varchar(10) NOT NULL,
      call_id           text NOT NULL,
      phones            text[] NOT NULL DEFAULT '{}',
      extensions        text[] NOT NULL DEFAULT '{}',
      direction         text CHECK (direction IN ('in', 'out', 'internal')),
      answered          boolean NOT NULL DEFAULT false,
      status            text NOT NULL DEFAULT 'active',
      start_time        timestamptz,
      end_time          timestamptz,
      duration_sec      integer,
      unique_ids        text[] NOT NULL DEFAULT '{}',
      bridge_unique_ids text[] NOT NULL DEFAULT '{}',
      event_count       integer NOT NULL DEFAULT 0,
      -- The rest of the fold the summary is derived from (libs/correlation CallFold).
      call_types        smallint NOT NULL DEFAULT 0,
      hangup_seen       boolean NOT NULL DEFAULT false,
      busy_seen         boolean NOT NULL DEFAULT false,
      created_at        timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (enterprise_number, call_id)
    ) PARTITION BY LIST (enterprise_number);
    CREATE INDEX call_traces_start_idx ON call_traces (enterprise_number, start_time DESC);
    CREATE INDEX call_traces_phones_idx ON call_traces USING gin (phones);
    CREATE INDEX call_traces_updated_idx ON call_traces (enterprise_number, updated_at);

    CREATE TABLE call_ids (
      enterprise_number varchar(10) NOT NULL,
      id_value          text NOT NULL,
      call_id           text NOT NULL,
      PRIMARY KEY (enterprise_number, id_value)
    ) PARTITION BY LIST (enterprise_number);
    CREATE INDEX call_ids_call_idx ON call_ids (enterprise_number, call_id);
    -- GET /trace/{id} does not know the enterprise.
    CREATE INDEX call_ids_id_idx ON call_ids (id_value);

    CREATE TABLE call_trace_entries (
      enterprise_number varchar(10) NOT NULL,
      -- The event key for events; a producer-given or content-derived key for the rest.
      entry_key         text NOT NULL,
      call_id           text NOT NULL,
      kind              text NOT NULL CHECK (kind IN ('event', 'telegram', 'http', 'sql', 'integration')),
      at                timestamptz NOT NULL,
      seq               bigint,
      event_type        text,
      chat_id           text,
      data              jsonb NOT NULL,
      created_at        timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (enterprise_number, entry_key)
    ) PARTITION BY LIST (enterprise_number);
    CREATE INDEX call_trace_entries_call_idx ON call_trace_entries (enterprise_number, call_id, at);
    CREATE INDEX call_trace_entries_day_idx ON call_trace_entries (enterprise_number, at) WHERE kind = 'event';

    CREATE TABLE call_link_facts (
      enterprise_number varchar(10) NOT NULL,
      link_key          text NOT NULL,
      role              text NOT NULL,
      at                timestamptz NOT NULL,
      entry_key         text NOT NULL,
      node              text NOT NULL,
      span              text,
      PRIMARY KEY (enterprise_number, link_key, role, at, entry_key)
    ) PARTITION BY LIST (enterprise_number);
    CREATE INDEX call_link_facts_span_idx ON call_link_facts (enterprise_number, span) WHERE span IS NOT NULL;

    -- Takes transaction-scoped advisory locks in the order given (the caller sorts them), so two
    -- writers never wait on each other in a cycle.
    CREATE OR REPLACE FUNCTION call_log_lock(keys bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE k bigint;
    BEGIN
      FOREACH k IN ARRAY keys LOOP
        PERFORM pg_advisory_xact_lock(k);
      END LOOP;
    END $$;

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

    -- The second half: the entry, its ids, its facts and the call's new summary (folded by the
    -- caller from the rows call_log_begin returned), in one round trip with cached plans.
    CREATE OR REPLACE FUNCTION call_log_write(
      p_enterprise text, p_call_id text, p_entry_key text, p_kind text, p_at timestamptz, p_seq bigint,
      p_event_type text, p_chat_id text, p_data jsonb, p_nodes text[],
      f_keys text[], f_roles text[], f_ats timestamptz[], f_nodes text[], f_spans text[],
      s_phones text[], s_extensions text[], s_direction text, s_answered boolean, s_status text,
      s_start timestamptz, s_end timestamptz, s_duration integer, s_unique_ids text[], s_bridge_ids text[],
      s_event_count integer, s_call_types smallint, s_hangup_seen boolean, s_busy_seen boolean
    ) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO call_trace_entries (enterprise_number, entry_key, call_id, kind, at, seq, event_type, chat_id, data)
      VALUES (p_enterprise, p_entry_key, p_call_id, p_kind, p_at, p_seq, p_event_type, p_chat_id, p_data);
      INSERT INTO call_ids (enterprise_number, id_value, call_id)
      SELECT p_enterprise, n, p_call_id FROM unnest(p_nodes) AS n
      ON CONFLICT (enterprise_number, id_value) DO NOTHING;
      IF cardinality(f_keys) > 0 THEN
        INSERT INTO call_link_facts (enterprise_number, link_key, role, at, entry_key, node, span)
        SELECT p_enterprise, k, r, a, p_entry_key, n, sp FROM unnest(f_keys, f_roles, f_ats, f_nodes, f_spans) AS f(k, r, a, n, sp)
        ON CONFLICT DO NOTHING;
      END IF;
      INSERT INTO call_traces AS t (enterprise_number, call_id, phones, extensions, direction, answered, status, start_time, end_time,
        duration_sec, unique_ids, bridge_unique_ids, event_count, call_types, hangup_seen, busy_seen, updated_at)
      VALUES (p_enterprise, p_call_id, s_phones, s_extensions, s_direction, s_answered, s_status, s_start, s_end,
        s_duration, s_unique_ids, s_bridge_ids, s_event_count, s_call_types, s_hangup_seen, s_busy_seen, now())
      ON CONFLICT (enterprise_number, call_id) DO UPDATE SET
        phones = EXCLUDED.phones, extensions = EXCLUDED.extensions, direction = EXCLUDED.direction, answered = EXCLUDED.answered,
        status = EXCLUDED.status, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time, duration_sec = EXCLUDED.duration_sec,
        unique_ids = EXCLUDED.unique_ids, bridge_unique_ids = EXCLUDED.bridge_unique_ids, event_count = EXCLUDED.event_count,
        call_types = EXCLUDED.call_types, hangup_seen = EXCLUDED.hangup_seen, busy_seen = EXCLUDED.busy_seen, updated_at = now();
    END $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS call_link_facts, call_trace_entries, call_ids, call_traces CASCADE;
    DROP FUNCTION IF EXISTS call_log_write(text, text, text, text, timestamptz, bigint, text, text, jsonb, text[], text[], text[], timestamptz[], text[], text[],
      text[], text[], text, boolean, text, timestamptz, timestamptz, integer, text[], text[], integer, smallint, boolean, boolean);
    DROP FUNCTION IF EXISTS call_log_begin(text, text, bigint[], text[], text[], text[], timestamptz[], text[], interval, interval, interval);
    DROP FUNCTION IF EXISTS call_log_calls(text, text[], text[], text[], timestamptz[], text[], interval, interval, interval);
    DROP FUNCTION IF EXISTS call_log_lock(bigint[]);
  `.execute(db);
}
