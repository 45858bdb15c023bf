/**
 * A database of its own for a migration test, dropped afterwards: the test steps the migrations up and
 * down on it (the run's shared test database stays at the latest).
 */
import { randomBytes } from 'node:crypto';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrations } from '../../db/src/migrations/index.js';

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * pg's Pool.end() resolves once its clients are told to end, not once their sockets close: a FORCE drop
 * in that gap terminates a client with nobody listening (FATAL 57P01, an unhandled error in the run).
 * So wait for the database's backends to leave first; FORCE stays for one that never does.
 */
async function backendsGone(admin: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
    if (rows[0]?.n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function withScratchDatabase(tag: string, run: (db: Kysely<unknown>, migrator: Migrator) => Promise<void>): Promise<void> {
  const name = `callpipe_${tag}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 1 }) }) });
  try {
    await run(db, new Migrator({ db, provider: { getMigrations: async () => migrations } }));
  } finally {
    await db.destroy();
    await backendsGone(admin, name);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
