/**
 * The whole data model. Every column added beyond the old system's has a default, so rows that
 * outside tools insert with only the old columns stay valid.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE IF NOT EXISTS enterprises (
      id                  serial PRIMARY KEY,
      number              varchar(10) NOT NULL UNIQUE,
      name                text NOT NULL,
      name2               text,
      bot_token           text,
      active              boolean NOT NULL DEFAULT true,
      integrations_config jsonb,
      secret              text,
      created_at          timestamptz NOT NULL DEFAULT now(),
      updated_at          timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS enterprises_name2_idx ON enterprises (name2) WHERE active;
    CREATE INDEX IF NOT EXISTS enterprises_name_idx ON enterprises (lower(name));

    -- Any change to enterprises tells every listening process (token set, config cache) at once.
    CREATE OR REPLACE FUNCTION notify_enterprises_changed() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('enterprises_changed', COALESCE(NEW.number, OLD.number));
      RETURN NULL;
    END $$ LANGUAGE plpgsql;
    DROP TRIGGER IF EXISTS enterprises_changed ON enterprises;
    CREATE TRIGGER enterprises_changed AFTER INSERT OR UPDATE OR DELETE ON enterprises
      FOR EACH ROW EXECUTE FUNCTION notify_enterprises_changed();

    CREATE TABLE IF NOT EXISTS telegram_users (
      id                serial PRIMARY KEY,
      tg_id             bigint NOT NULL,
      bot_token         text NOT NULL,
      enterprise_number varchar(10),
      role              text NOT NULL DEFAULT 'full' CHECK (role IN ('full', 'brief')),
      active            boolean NOT NULL DEFAULT true,
      created_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tg_id, bot_token)
    );
    CREATE INDEX IF NOT EXISTS telegram_users_bot_token_idx ON telegram_users (bot_token) WHERE active;

    CREATE TABLE IF NOT EXISTS call_events (
      id                bigserial PRIMARY KEY,
      event_key         text UNIQUE,
      unique_id         text,
      bridge_unique_id  text,
      event_type        text NOT NULL,
      enterprise_number varchar(10),
      event_timestamp   timestamptz NOT NULL DEFAULT now(),
      data_source       text NOT NULL DEFAULT 'live',
      raw_data          jsonb NOT NULL,
      seq               bigint,
      telegram_sent     boolean NOT NULL DEFAULT false,
      created_at        timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS call_events_unique_id_idx ON call_events (unique_id);
    CREATE INDEX IF NOT EXISTS call_events_bridge_idx ON call_events (bridge_unique_id) WHERE bridge_unique_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS call_events_enterprise_time_idx ON call_events (enterprise_number, event_timestamp);

    CREATE TABLE IF NOT EXISTS calls (
      id                bigserial PRIMARY KEY,
      uuid              uuid NOT NULL DEFAULT gen_random_uuid(),
      unique_id         text NOT NULL,
      enterprise_number varchar(10) NOT NULL,
      token             text,
      phone             text,
      extension         text,
      call_type         smallint,
      call_status       smallint,
      date_received     timestamptz,
      date_end          timestamptz,
      duration          integer,
      record_url        text,
      created_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (enterprise_number, unique_id)
    );
    CREATE INDEX IF NOT EXISTS calls_enterprise_time_idx ON calls (enterprise_number, date_received DESC);
    CREATE INDEX IF NOT EXISTS calls_phone_idx ON calls (enterprise_number, phone);

    CREATE TABLE IF NOT EXISTS customers (
      id                serial PRIMARY KEY,
      enterprise_number varchar(10) NOT NULL,
      phone_e164        text NOT NULL,
      first_name        text,
      last_name         text,
      middle_name       text,
      enterprise_name   text,
      total_calls       integer NOT NULL DEFAULT 0,
      total_answered    integer NOT NULL DEFAULT 0,
      last_call_at      timestamptz,
      created_at        timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (enterprise_number, phone_e164)
    );

    CREATE TABLE IF NOT EXISTS users (
      id                serial PRIMARY KEY,
      enterprise_number varchar(10) NOT NULL,
      first_name        text,
      last_name         text,
      patronymic        text,
      email             text,
      active            boolean NOT NULL DEFAULT true,
      created_at        timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS users_enterprise_idx ON users (enterprise_number);

    CREATE TABLE IF NOT EXISTS user_internal_phones (
      id                serial PRIMARY KEY,
      enterprise_number varchar(10) NOT NULL,
      phone_number      text NOT NULL,
      user_id           integer REFERENCES users (id) ON DELETE SET NULL,
      created_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (enterprise_number, phone_number)
    );

    CREATE TABLE IF NOT EXISTS gsm_lines (
      id                serial PRIMARY KEY,
      enterprise_number varchar(10) NOT NULL,
      line_id           text NOT NULL,
      line_name         text,
      phone_number      text,
      operator          text,
      created_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (enterprise_number, line_id)
    );

    CREATE TABLE IF NOT EXISTS sip_lines (
      id                serial PRIMARY KEY,
      enterprise_number varchar(10) NOT NULL,
      line_name         text NOT NULL,
      phone_number      text,
      provider          text,
      created_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (enterprise_number, line_name)
    );

    CREATE TABLE IF NOT EXISTS integration_logs (
      id                bigserial PRIMARY KEY,
      enterprise_number varchar(10) NOT NULL,
      integration_type  text NOT NULL,
      event_type        text NOT NULL,
      call_unique_id    text,
      request_data      jsonb,
      response_data     jsonb,
      status            text NOT NULL,
      http_status       integer,
      error_message     text,
      attempt           integer NOT NULL DEFAULT 1,
      duration_ms       integer,
      created_at        timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS integration_logs_enterprise_time_idx ON integration_logs (enterprise_number, created_at DESC);
    CREATE INDEX IF NOT EXISTS integration_logs_call_idx ON integration_logs (call_unique_id);

    -- One row per call; partitions (one per enterprise) are created on first use by the call-log worker.
    CREATE TABLE IF NOT EXISTS call_traces (
      enterprise_number varchar(10) NOT NULL,
      call_id           text NOT NULL,
      master_unique_id  text,
      phone_number      text,
      call_direction    text,
      call_status       text,
      start_time        timestamptz,
      end_time          timestamptz,
      unique_ids        text[] NOT NULL DEFAULT '{}',
      bridge_unique_ids text[] NOT NULL DEFAULT '{}',
      created_at        timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (enterprise_number, call_id)
    ) PARTITION BY LIST (enterprise_number);
    CREATE INDEX IF NOT EXISTS call_traces_unique_ids_idx ON call_traces USING gin (unique_ids);
    CREATE INDEX IF NOT EXISTS call_traces_phone_idx ON call_traces (enterprise_number, phone_number, start_time);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS call_traces, integration_logs, sip_lines, gsm_lines, user_internal_phones, users,
      customers, calls, call_events, telegram_users, enterprises CASCADE;
    DROP FUNCTION IF EXISTS notify_enterprises_changed();
  `.execute(db);
}
