/**
 * A PostgreSQL connection dropping under a checked-out client (idle in our hands, or mid-query) is an
 * error of that query, never of the process: real backends killed with pg_terminate_backend, and
 * real connections cut through a TCP proxy.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig, waitFor } from '../../../test/support/testEnv.js';
import { TcpProxy } from '../../../test/support/tcpProxy.js';
import { createDb, createPool, isPgConnectionError } from './index.js';

const config = testConfig();
const admin = new pg.Pool({ connectionString: config.databaseUrl, max: 1 });
admin.on('error', () => undefined);
afterAll(async () => admin.end());

async function terminate(pid: number): Promise<void> {
  const r = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
  expect(r.rows[0]!.ok).toBe(true);
}

function poolWithErrors(connectionString = config.databaseUrl): { pool: pg.Pool; errors: Error[]; connects: () => number } {
  const errors: Error[] = [];
  let connects = 0;
  const pool = createPool({ connectionString, max: 2, applicationName: 'faults-test', onConnectionError: (e) => errors.push(e), onConnect: () => { connects += 1; } });
  return { pool, errors, connects: () => connects };
}

describe('a PostgreSQL connection dropped under a checked-out client', () => {
  it('reports the error (no crash) when the backend of a client held between queries is terminated', async () => {
    const { pool, errors } = poolWithErrors();
    const client = await pool.connect();
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await terminate(pid);
    // Without a listener on the checked-out client this 'error' event would kill the process.
    await waitFor(async () => errors.length > 0, 'the error event of the checked-out client', 5000, 20);
    expect(isPgConnectionError(errors[0])).toBe(true);
    const next = await client.query('SELECT 1').then(() => null, (e: Error) => e);
    expect(next).toBeInstanceOf(Error);
    expect(isPgConnectionError(next)).toBe(true);
    client.release();
    // The broken client is not handed out again: the pool answers with a fresh connection.
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    await pool.end();
  });

  it('rejects the query (a job error BullMQ retries) when the backend is terminated mid-query', async () => {
    const { pool, errors } = poolWithErrors();
    const db = createDb(pool);
    const running = sql<{ pid: number }>`SELECT pg_backend_pid() AS pid, pg_sleep(20)`.execute(db).then(() => null, (e: Error) => e);
    const pid = await waitFor(async () => {
      const r = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'faults-test' AND query LIKE '%pg_sleep(20)%' AND state = 'active'");
      return r.rows[0]?.pid;
    }, 'the sleeping query to run', 5000, 20);
    const started = Date.now();
    await terminate(pid);
    const err = await running;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toBeInstanceOf(Error);
    expect(isPgConnectionError(err)).toBe(true);
    await waitFor(async () => errors.length > 0, 'the client error to be reported', 5000, 20);
    expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows[0]!.one).toBe(1);
    await db.destroy();
  });

  it('rejects the query when the connection is cut mid-query (TCP proxy), and works again after', async () => {
    const target = new URL(config.databaseUrl);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(config.databaseUrl);
    viaProxy.port = String(proxy.port);
    const { pool, errors, connects } = poolWithErrors(viaProxy.toString());
    const db = createDb(pool);
    try {
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows[0]!.one).toBe(1);
      proxy.latencyMs = 50;
      const running = sql`SELECT pg_sleep(5)`.execute(db).then(() => null, (e: Error) => e);
      await waitFor(async () => proxy.connections > 0, 'a proxied connection', 2000, 10);
      await new Promise((r) => setTimeout(r, 200));
      proxy.cutAll();
      const err = await running;
      expect(err).toBeInstanceOf(Error);
      expect(isPgConnectionError(err)).toBe(true);
      expect(errors.length).toBeGreaterThan(0);
      // PostgreSQL "down": new connections refused, the error is a connection error too.
      await proxy.setMode('refuse');
      const refused = await sql`SELECT 1`.execute(db).then(() => null, (e: Error) => e);
      expect(isPgConnectionError(refused)).toBe(true);
      await proxy.setMode('forward');
      proxy.latencyMs = 0;
      const before = connects();
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows[0]!.one).toBe(1);
      expect(connects()).toBeGreaterThan(before);
    } finally {
      await db.destroy();
      await proxy.close();
    }
  });
});

describe('connection error classification', () => {
  it('tells outages from query errors and from HTTP clients\' socket errors', () => {
    const coded = (message: string, code: string, name = 'Error') => Object.assign(new Error(message), { code, name });
    expect(isPgConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isPgConnectionError(coded('read ECONNRESET', 'ECONNRESET'))).toBe(true);
    expect(isPgConnectionError(coded('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isPgConnectionError(coded('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isPgConnectionError(coded('relation "call_events" does not exist', '42P01'))).toBe(false);
    expect(isPgConnectionError(coded('connect ECONNREFUSED 127.0.0.1:443', 'ECONNREFUSED', 'RequestError'))).toBe(false);
  });
});
