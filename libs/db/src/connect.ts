/** One pg pool and one Kysely instance per process; nothing opens a connection per request. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// BIGINT (int8) arrives as string by default; keep it so (ids and seq exceed 2^53 in theory).
export interface DbOptions {
  connectionString: string;
  max: number;
  applicationName: string;
  /** A connection failed or dropped (idle or checked out); a query running on it is rejected too. */
  onConnectionError?: (err: Error) => void;
  /** A new connection was opened: PostgreSQL answers. */
  onConnect?: () => void;
}

/** How long a pool keeps a connection nobody uses. */
export const IDLE_CONNECTION_MS = 10 * 60_000;

export function createPool(opts: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max,
    application_name: opts.applicationName,
    connectionTimeoutMillis: 5000,
    // A new backend loads the call log's partition metadata again as it first touches each table (~13 ms
    // for a partitioned table of 800 partitions, ~0.3 ms per enterprise's partition; issue 12): closing
    // connections after a 30 s lull threw that away at every quiet spell. The pool's max is the budget
    // either way. An idle pool does not hold a process open (a script that forgets to end it still exits).
    idleTimeoutMillis: IDLE_CONNECTION_MS,
    allowExitOnIdle: true,
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
