/**
 * Issue 12: a change to telegram_users (a chat linked, unlinked, deactivated on 403) tells every
 * listening workers process at once, so each may keep an enterprise's recipients until then instead
 * of re-reading them every 2 s (one read per enterprise with a call, ~4 a call at 400 enterprises).
 * Once per statement, with no payload: the processes drop every enterprise's list (changes are rare;
 * a bot token in a payload would be a secret in the clear).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    CREATE OR REPLACE FUNCTION notify_telegram_users_changed() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('telegram_users_changed', '');
      RETURN NULL;
    END $$ LANGUAGE plpgsql;
    DROP TRIGGER IF EXISTS telegram_users_changed ON telegram_users;
    CREATE TRIGGER telegram_users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON telegram_users
      FOR EACH STATEMENT EXECUTE FUNCTION notify_telegram_users_changed();
  `).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    DROP TRIGGER IF EXISTS telegram_users_changed ON telegram_users;
    DROP FUNCTION IF EXISTS notify_telegram_users_changed();
  `).execute(db);
}
