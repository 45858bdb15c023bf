/**
 * Call facts (libs/callFacts): the enterprise's time zone, in which its PBX's local times are read
 * (NULL = PBX_TIME_ZONE); and call_log_write taking the trace summary from the facts. Only an event
 * changes what a call is, so any other entry (a Telegram send, a lookup, a CRM attempt) leaves the
 * summary as it is and only touches updated_at.
 */
import { sql, type Kysely } from 'kysely';

const writeFunction = (summaryOnOtherEntries: 'keep' | 'overwrite') => sql.raw(`
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
      ${summaryOnOtherEntries === 'keep' ? `IF p_kind <> 'event' THEN
        INSERT INTO call_traces AS t (enterprise_number, call_id, phones, extensions, direction, answered, status, start_time, end_time,
          duration_sec, unique_ids, bridge_unique_ids, event_count, call_types, hangup_seen, busy_seen, updated_at)
        VALUES (p_enterprise, p_call_id, s_phones, s_extensions, s_direction, s_answered, s_status, s_start, s_end,
          s_duration, s_unique_ids, s_bridge_ids, s_event_count, s_call_types, s_hangup_seen, s_busy_seen, now())
        ON CONFLICT (enterprise_number, call_id) DO UPDATE SET updated_at = now();
        RETURN;
      END IF;` : ''}
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
`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE enterprises ADD COLUMN IF NOT EXISTS time_zone text`.execute(db);
  await sql`${writeFunction('keep')}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`${writeFunction('overwrite')}`.execute(db);
  await sql`ALTER TABLE enterprises DROP COLUMN IF EXISTS time_zone`.execute(db);
}
