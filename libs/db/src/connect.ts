/** One pg pool and one Kysely instance per process; nothing opens a connection per request. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// BIGINT (int8) arrives as string by default; keep it so (ids and seq exceed 2^53 in theory).
export interface DbOptions {
  connectionString: string;
  max: number;
  applicationName: string;
}

export function createPool(opts: DbOptions): pg.Pool {
  return new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max,
    application_name: opts.applicationName,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
}

export function createDb(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
