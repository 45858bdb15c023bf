/** The fault proxy in front of the real PostgreSQL: forwards, cuts, refuses, holds, delays. */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpProxy } from '../support/tcpProxy.js';

const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
let proxy: TcpProxy;
const clients: pg.Client[] = [];

async function client(): Promise<pg.Client> {
  const url = new URL(admin);
  url.port = String(proxy.port);
  const c = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  c.on('error', () => undefined);
  clients.push(c);
  await c.connect();
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.end().catch(() => undefined);
  await proxy.close();
});

describe('tcp proxy', () => {
  it('forwards, and a cut resets an open connection mid-session', async () => {
    proxy = new TcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    await proxy.start();
    const c = await client();
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    const ended = new Promise<Error>((resolve) => c.once('error', resolve));
    const inFlight = c.query('SELECT pg_sleep(2)').then(() => 'answered', (err: Error) => err.message);
    await new Promise((r) => setTimeout(r, 100));
    proxy.cutAll();
    expect(await inFlight).toMatch(/terminated|ECONNRESET|closed/i);
    expect((await ended).message).toMatch(/terminated|ECONNRESET|closed/i);
  });

  it('refuses new connections while refusing, and accepts them again on the same port', async () => {
    proxy = new TcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    const port = await proxy.start();
    await proxy.setMode('refuse');
    await expect(client()).rejects.toThrow(/ECONNREFUSED/);
    await proxy.setMode('forward');
    expect(proxy.port).toBe(port);
    expect((await (await client()).query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('holds new connections until forwarding resumes', async () => {
    proxy = new TcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    await proxy.start();
    await proxy.setMode('hold');
    let connected = false;
    const pending = client().then((c) => { connected = true; return c; });
    await new Promise((r) => setTimeout(r, 500));
    expect(connected).toBe(false);
    await proxy.setMode('forward');
    expect((await (await pending).query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });

  it('adds its latency to every round trip, in order', async () => {
    proxy = new TcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    await proxy.start();
    const c = await client();
    proxy.latencyMs = 150;
    const t0 = Date.now();
    const rows = await Promise.all([1, 2, 3].map((n) => c.query('SELECT $1::int AS n', [n]).then((r) => r.rows[0] as { n: number })));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3]);
  });
});
