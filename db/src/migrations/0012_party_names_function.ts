/**
 * Issue 12: the names of a call's parties without planning their statement on every lookup.
 *
 * bench/pipeline's pg_stat_statements put the Telegram sync's names lookup (enrich.ts: the customer,
 * the managers, the line; ~2 a call) at ~0.21 ms to plan and 0.03 ms to run. As a PL/pgSQL function
 * its plan is kept per connection: the tables it reads are plain (not partitioned), so one generic
 * plan serves every enterprise, and it answers what the statement it replaces answered.
 *
 * Tried and left out: the sync's read of a call's events as a function reading the enterprise's
 * partition by name (EXECUTE on one plain table instead of planning the partitioned parent). Its
 * planning went, but the run cost more than it saved (0.37 ms a read against 0.31): most of either
 * read's cost in the bench is a connection's first touch of an enterprise's partition, which stays.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    -- The names the enterprise's tables give a call's parties: the customer by phone (one of p_phones),
    -- the managers by internal phone, the line by GSM line id, then by SIP line name.
    CREATE OR REPLACE FUNCTION call_party_names(p_enterprise text, p_phones text[], p_extensions text[], p_trunk text) RETURNS TABLE (
      customer jsonb, managers jsonb, line text
    ) LANGUAGE plpgsql STABLE AS $$
    #variable_conflict use_column
    BEGIN
      RETURN QUERY SELECT
        (SELECT jsonb_build_object('last_name', c.last_name, 'first_name', c.first_name, 'middle_name', c.middle_name, 'enterprise_name', c.enterprise_name)
           FROM customers c WHERE c.enterprise_number = p_enterprise AND c.phone_e164 = SOME(p_phones) LIMIT 1),
        (SELECT coalesce(jsonb_agg(jsonb_build_array(p.phone_number, u.last_name, u.first_name, u.patronymic)), '[]'::jsonb)
           FROM user_internal_phones p JOIN users u ON u.id = p.user_id
          WHERE p.enterprise_number = p_enterprise AND p.phone_number = SOME(p_extensions)),
        coalesce(
          (SELECT nullif(g.line_name, '') FROM gsm_lines g WHERE g.enterprise_number = p_enterprise AND g.line_id = p_trunk LIMIT 1),
          (SELECT nullif(s.line_name, '') FROM sip_lines s WHERE s.enterprise_number = p_enterprise AND s.line_name = p_trunk LIMIT 1));
    END $$;
  `).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    DROP FUNCTION IF EXISTS call_party_names(text, text[], text[], text);
  `).execute(db);
}
