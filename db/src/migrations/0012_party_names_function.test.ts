import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withScratchDatabase } from '../../../test/support/scratchDatabase.js';

/** The statement call_party_names replaces (enrich.ts before 0012). */
async function namesBefore(db: Kysely<unknown>, e: string, digits: string | null, exts: string[], trunk: string | null): Promise<unknown> {
  const { rows } = await sql`
    SELECT
      (SELECT jsonb_build_object('last_name', c.last_name, 'first_name', c.first_name, 'middle_name', c.middle_name, 'enterprise_name', c.enterprise_name)
         FROM customers c WHERE c.enterprise_number = ${e} AND c.phone_e164 IN (${digits ? `+${digits}` : null}, ${digits}) LIMIT 1) AS customer,
      (SELECT coalesce(jsonb_agg(jsonb_build_array(p.phone_number, u.last_name, u.first_name, u.patronymic)), '[]'::jsonb)
         FROM user_internal_phones p JOIN users u ON u.id = p.user_id
        WHERE p.enterprise_number = ${e} AND p.phone_number = SOME(${exts}::text[])) AS managers,
      coalesce(
        (SELECT nullif(g.line_name, '') FROM gsm_lines g WHERE g.enterprise_number = ${e} AND g.line_id = ${trunk} LIMIT 1),
        (SELECT nullif(s.line_name, '') FROM sip_lines s WHERE s.enterprise_number = ${e} AND s.line_name = ${trunk} LIMIT 1)
      ) AS line`.execute(db);
  return rows[0];
}

async function namesAfter(db: Kysely<unknown>, e: string, digits: string | null, exts: string[], trunk: string | null): Promise<unknown> {
  const { rows } = await sql`
    SELECT customer, managers, line FROM call_party_names(${e}, ${digits ? [`+${digits}`, digits] : []}::text[], ${exts}::text[], ${trunk})`.execute(db);
  return rows[0];
}

describe('migration 0012 (the names of a call\'s parties as a function)', () => {
  it('answers what the statement it replaces answered, run after run on one connection, and goes back', async () => {
    await withScratchDatabase('m0012', async (db, migrator) => {
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      await sql`INSERT INTO enterprises (number, name) VALUES ('0301', 'a'), ('0302', 'b')`.execute(db);
      await sql`INSERT INTO customers (enterprise_number, phone_e164, last_name, first_name) VALUES ('0301', '+375291112233', 'Иванов', 'Пётр'), ('0301', '375294445566', NULL, NULL)`.execute(db);
      await sql`INSERT INTO users (id, enterprise_number, last_name, first_name) VALUES (9001, '0301', 'Джуновый', 'Джулай')`.execute(db);
      await sql`INSERT INTO user_internal_phones (enterprise_number, phone_number, user_id) VALUES ('0301', '150', 9001)`.execute(db);
      await sql`INSERT INTO gsm_lines (enterprise_number, line_id, line_name) VALUES ('0301', '0001363', 'МТС'), ('0301', '0001364', '')`.execute(db);
      await sql`INSERT INTO sip_lines (enterprise_number, line_name) VALUES ('0301', 'sip-trunk')`.execute(db);
      const asks: [string, string | null, string[], string | null][] = [
        ['0301', '375291112233', ['150', '151'], '0001363'], ['0301', '375294445566', [], '0001364'], ['0301', null, ['150'], 'sip-trunk'],
        ['0301', '375000000000', [], null], ['0302', '375291112233', ['150'], '0001363'],
      ];
      // Past five runs on one connection, where PL/pgSQL may keep a generic plan: the same answers.
      for (let round = 0; round < 3; round += 1) {
        for (const [e, digits, exts, trunk] of asks) expect(await namesAfter(db, e, digits, exts, trunk), `${e} ${digits}`).toEqual(await namesBefore(db, e, digits, exts, trunk));
      }
      expect(await namesAfter(db, '0301', '375291112233', ['150'], '0001363')).toEqual({
        customer: { last_name: 'Иванов', first_name: 'Пётр', middle_name: null, enterprise_name: null },
        managers: [['150', 'Джуновый', 'Джулай', null]], line: 'МТС',
      });

      expect((await migrator.migrateTo('0011_telegram_users_notify')).error).toBeUndefined();
      const left = await sql<{ n: string }>`SELECT count(*)::text AS n FROM pg_proc WHERE proname = 'call_party_names'`.execute(db);
      expect(left.rows[0]!.n).toBe('0');
    });
  });
});
