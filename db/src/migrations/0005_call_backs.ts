/**
 * Call-back from Telegram (a missed call's "📞 Перезвонить" button): a recipient's link to the
 * extension that rings when they press it (telegram_users.extension), and one row per call that was
 * called back — the atomic claim (the primary key: a second press finds it taken), who pressed, when,
 * and how the PBX answered. The Telegram sync renders the "called back" note from this row, so a later
 * sync never wipes it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE telegram_users ADD COLUMN IF NOT EXISTS extension varchar(16)
      CHECK (extension IS NULL OR extension ~ '^[0-9]{1,16}$');

    CREATE TABLE IF NOT EXISTS call_backs (
      enterprise_number varchar(10) NOT NULL,
      call_ref          text NOT NULL,
      status            text NOT NULL CHECK (status IN ('placing', 'placed', 'failed')),
      tg_user_id        bigint NOT NULL,
      user_name         text NOT NULL,
      extension         varchar(16) NOT NULL,
      phone             text NOT NULL,
      callback_query_id text NOT NULL,
      result_message    text,
      new_unique_id     text,
      claimed_at        timestamptz NOT NULL DEFAULT now(),
      finished_at       timestamptz,
      PRIMARY KEY (enterprise_number, call_ref)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS call_backs;
    ALTER TABLE telegram_users DROP COLUMN IF EXISTS extension;
  `.execute(db);
}
