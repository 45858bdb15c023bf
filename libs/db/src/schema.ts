/** Kysely's view of the tables (db/src/migrations holds their DDL). Column names follow the old system. */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface EnterprisesTable {
  id: Generated<number>;
  number: string;
  name: string;
  /** The host Token Asterisk sends in every event. */
  name2: string | null;
  bot_token: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  integrations_config: Json | null;
  secret: string | null;
  /** IANA zone of the enterprise's PBX clock (migration 0003); NULL = PBX_TIME_ZONE. */
  time_zone: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type RecipientRole = 'full' | 'brief';

export interface TelegramUsersTable {
  id: Generated<number>;
  tg_id: ColumnType<string, string | number, string | number>;
  bot_token: string;
  enterprise_number: string | null;
  role: ColumnType<RecipientRole, RecipientRole | undefined, RecipientRole>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  /** The extension a call-back from this recipient rings first (0005); null: not linked. */
  extension: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One call called back from Telegram (0005): the claim, who pressed, how the PBX answered. */
export interface CallBacksTable {
  enterprise_number: string;
  call_ref: string;
  status: 'placing' | 'placed' | 'failed';
  tg_user_id: ColumnType<string, string | number, string | number>;
  user_name: string;
  extension: string;
  phone: string;
  callback_query_id: string;
  result_message: string | null;
  new_unique_id: string | null;
  claimed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface CallEventsTable {
  id: Generated<string>;
  event_key: string | null;
  unique_id: string | null;
  bridge_unique_id: string | null;
  event_type: string;
  enterprise_number: string | null;
  event_timestamp: Timestamp;
  data_source: ColumnType<string, string | undefined, string>;
  raw_data: JSONColumnType<Record<string, unknown>, string, string>;
  seq: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  telegram_sent: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface CallsTable {
  id: Generated<string>;
  uuid: Generated<string>;
  unique_id: string;
  enterprise_number: string;
  token: string | null;
  phone: string | null;
  extension: string | null;
  call_type: number | null;
  call_status: number | null;
  date_received: Timestamp | null;
  date_end: Timestamp | null;
  duration: number | null;
  record_url: string | null;
  created_at: Timestamp;
}

export interface CustomersTable {
  id: Generated<number>;
  enterprise_number: string;
  phone_e164: string;
  first_name: string | null;
  last_name: string | null;
  middle_name: string | null;
  enterprise_name: string | null;
  total_calls: ColumnType<number, number | undefined, number>;
  total_answered: ColumnType<number, number | undefined, number>;
  last_call_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<number>;
  enterprise_number: string;
  first_name: string | null;
  last_name: string | null;
  patronymic: string | null;
  email: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface UserInternalPhonesTable {
  id: Generated<number>;
  enterprise_number: string;
  phone_number: string;
  user_id: number | null;
  created_at: Timestamp;
}

export interface GsmLinesTable {
  id: Generated<number>;
  enterprise_number: string;
  line_id: string;
  line_name: string | null;
  phone_number: string | null;
  operator: string | null;
  created_at: Timestamp;
}

export interface SipLinesTable {
  id: Generated<number>;
  enterprise_number: string;
  line_name: string;
  phone_number: string | null;
  provider: string | null;
  created_at: Timestamp;
}

export interface IntegrationLogsTable {
  id: Generated<string>;
  enterprise_number: string;
  integration_type: string;
  event_type: string;
  call_unique_id: string | null;
  request_data: Json | null;
  response_data: Json | null;
  status: string;
  http_status: number | null;
  error_message: string | null;
  attempt: ColumnType<number, number | undefined, number>;
  duration_ms: number | null;
  created_at: Timestamp;
}

/** One row per call (db/src/migrations/0002_call_log.ts); the summary is a fold over its events. */
export interface CallTracesTable {
  enterprise_number: string;
  call_id: string;
  phones: ColumnType<string[], string[] | undefined, string[]>;
  extensions: ColumnType<string[], string[] | undefined, string[]>;
  direction: 'in' | 'out' | 'internal' | null;
  answered: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<string, string | undefined, string>;
  start_time: Timestamp | null;
  end_time: Timestamp | null;
  duration_sec: number | null;
  unique_ids: ColumnType<string[], string[] | undefined, string[]>;
  bridge_unique_ids: ColumnType<string[], string[] | undefined, string[]>;
  event_count: ColumnType<number, number | undefined, number>;
  call_types: ColumnType<number, number | undefined, number>;
  hangup_seen: ColumnType<boolean, boolean | undefined, boolean>;
  busy_seen: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Every id of a call → the call. */
export interface CallIdsTable {
  enterprise_number: string;
  id_value: string;
  call_id: string;
}

export type CallTraceEntryKind = 'event' | 'telegram' | 'http' | 'sql' | 'integration';

/** A call's timeline, one row per entry, append-only. */
export interface CallTraceEntriesTable {
  enterprise_number: string;
  entry_key: string;
  call_id: string;
  kind: CallTraceEntryKind;
  at: Timestamp;
  seq: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  event_type: string | null;
  chat_id: string | null;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
}

/** Time-bounded facts the call log's soft links are matched on. */
export interface CallLinkFactsTable {
  enterprise_number: string;
  link_key: string;
  role: string;
  at: Timestamp;
  entry_key: string;
  node: string;
  span: string | null;
}

export interface Database {
  enterprises: EnterprisesTable;
  telegram_users: TelegramUsersTable;
  call_backs: CallBacksTable;
  call_events: CallEventsTable;
  calls: CallsTable;
  customers: CustomersTable;
  users: UsersTable;
  user_internal_phones: UserInternalPhonesTable;
  gsm_lines: GsmLinesTable;
  sip_lines: SipLinesTable;
  integration_logs: IntegrationLogsTable;
  call_traces: CallTracesTable;
  call_ids: CallIdsTable;
  call_trace_entries: CallTraceEntriesTable;
  call_link_facts: CallLinkFactsTable;
}
