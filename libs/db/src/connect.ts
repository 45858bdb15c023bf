/** One pg pool and one Kysely instance per process; nothing opens a connection per request. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// BIGINT (int8) arrives as string by default; keep it so (ids and seq exceed 2^53 in theory).
export interface DbOptions {
  connectionString: string;
  max: number;
  applicationName: string;
  /** A connection failed or dropped (idle or checked out); the query using it, if any, is rejected too. */
  onConnectionError?: (err: Error) => void;
  /** A new connection was opened: PostgreSQL answers. */
  onConnect?: () => void;
}

export function createPool(opts: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max,
    application_name: opts.applicationName,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
  const onError = opts.onConnectionError ?? (() => undefined);
  // The pool listens for errors only on idle clients; a checked-out client whose connection drops
  // emits 'error' with no listener, which would kill the process. Its in-flight query is rejected
  // anyway (the job fails and is retried), so this listener only reports.
  pool.on('connect', (client) => {
    client.on('error', onError);
    opts.onConnect?.();
  });
  // The pool re-emits an idle client's error (already reported above); without a listener it would throw.
  pool.on('error', () => undefined);
  return pool;
}

export function createDb(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
