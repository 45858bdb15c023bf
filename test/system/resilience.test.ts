/**
 * The built workers process survives its dependencies going away, with real faults: PostgreSQL down at
 * start (a TCP proxy refusing), PostgreSQL connections cut mid-query under added latency, Redis killed.
 * Each outage is logged once when it starts and once when it ends, not a line per failed job, and
 * /health answers within a second naming what is down.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool, type Database } from '@callpipe/db';
import { createIngest } from '../../apps/ingest/src/ingest.js';
import { dialEvents, postStream } from '../support/eventStream.js';
import { getJson } from '../support/httpClient.js';
import { freePort, listen } from '../support/listen.js';
import { PrivateRedis } from '../support/privateRedis.js';
import { startApp } from '../support/processes.js';
import { TcpProxy } from '../support/tcpProxy.js';
import { configEnv, testConfig, testLogger, uniqueEnterprise, waitFor } from '../support/testEnv.js';

let db: Kysely<Database>;
beforeAll(() => {
  db = createDb(createPool({ connectionString: testConfig().databaseUrl, max: 2, applicationName: 'resilience-test' }));
});
afterAll(async () => db.destroy());

const count = (text: string, needle: string) => text.split(needle).length - 1;

async function pgProxy(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const target = new URL(databaseUrl);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.start();
  const url = new URL(databaseUrl);
  url.port = String(proxy.port);
  return { proxy, url: url.toString() };
}

/** GET /health with its answer time. */
async function health(port: number): Promise<{ status: number; ms: number; body: Record<string, unknown> }> {
  const started = Date.now();
  const r = await getJson(`http://127.0.0.1:${port}`, '/health').catch(() => ({ status: 0, body: {} }));
  return { ...r, ms: Date.now() - started };
}

describe('workers and PostgreSQL', () => {
  it('start while PostgreSQL is down, say so on /health within a second, and run once it is back', async () => {
    const config = testConfig();
    const { proxy, url } = await pgProxy(config.databaseUrl);
    await proxy.setMode('refuse');
    const port = await freePort();
    const workers = startApp('workers', { ...configEnv(config), DATABASE_URL: url, LOG_LEVEL: 'info', WORKERS_PORT: String(port) });
    try {
      const waiting = await waitFor(async () => { const h = await health(port); return h.status ? h : undefined; }, 'workers health', 20_000, 100);
      // Keep PostgreSQL down a while: the process waits (no crash, no exit) and logs the outage once.
      await new Promise((r) => setTimeout(r, 3000));
      const h = await health(port);
      expect(workers.proc.exitCode).toBeNull();
      expect(waiting.status).toBe(503);
      expect(h.status).toBe(503);
      expect(h.ms).toBeLessThan(1000);
      expect(h.body).toMatchObject({ status: 'starting', phase: 'waiting', postgres: false });
      expect(Object.keys(h.body.down as object)).toContain('postgresql');
      expect(count(workers.output(), 'postgresql unavailable')).toBe(1);
      expect(proxy.accepted).toBe(0);
      await proxy.setMode('forward');
      await waitFor(async () => (await health(port)).status === 200, 'workers healthy once PostgreSQL is back', 20_000, 100);
      expect(count(workers.output(), 'postgresql is back')).toBe(1);
      expect(workers.output()).toContain('workers started');
    } finally {
      await workers.kill();
      await proxy.close();
    }
  });

  it('survive connections cut mid-query under 50 ms of latency: no crash, every event stored once, no line per failed job', async () => {
    const config = testConfig();
    const e = uniqueEnterprise();
    await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: null, active: true }).execute();
    const { proxy, url } = await pgProxy(config.databaseUrl);
    const workers = startApp('workers', {
      ...configEnv(config), DATABASE_URL: url, LOG_LEVEL: 'info', WORKERS_PORT: '0', EVENTS_CONCURRENCY: '8', JOB_LOCK_MS: '5000',
    });
    const ingest = createIngest({ ...config, tokenRefreshSeconds: 1 }, testLogger('ingest'));
    await ingest.start();
    const { base, close } = await listen(ingest.app);
    try {
      await waitFor(async () => ingest.tokens.lookup(e.token), 'ingest to learn the token from the workers', 20_000);
      proxy.latencyMs = 50;
      const events = dialEvents(e.token, 300, `4${Date.now()}`);
      let cuts = 0;
      const result = await postStream(base, events, 10, async (answered) => {
        // Five cuts spread over the stream, each while queries are in flight.
        if (answered % 50 === 25 && cuts < 5) {
          cuts += 1;
          proxy.cutAll();
        }
        await new Promise((r) => setTimeout(r, 5));
      });
      expect(cuts).toBe(5);
      expect(result.failed).toEqual([]);
      const stored = await waitFor(async () => {
        const rows = await db.selectFrom('call_events').select(['unique_id', 'event_key']).where('enterprise_number', '=', e.number).execute();
        return rows.length >= result.acked.length ? rows : undefined;
      }, 'every acked event in call_events', 90_000, 250);
      expect(stored.length).toBe(result.acked.length);
      expect(new Set(stored.map((r) => r.event_key)).size).toBe(result.acked.length);
      expect(workers.proc.exitCode).toBeNull();
      const out = workers.output();
      expect(out).not.toContain('Unhandled');
      // Connection errors are outages (a start and an end line each), never a warning per failed job.
      expect(count(out, 'job failed; BullMQ will retry it with backoff')).toBe(0);
      expect(count(out, 'listener error')).toBe(0);
      expect(count(out, 'postgresql unavailable')).toBeGreaterThan(0);
      expect(count(out, 'postgresql unavailable')).toBeLessThanOrEqual(cuts * 2);
    } finally {
      await close();
      await ingest.stop();
      await workers.kill();
      await proxy.close();
    }
  });
});

describe('workers and Redis', () => {
  it('answer /health within a second while Redis is down, naming it, and log the outage once', async () => {
    const redis = new PrivateRedis();
    await redis.start();
    const config = testConfig({ REDIS_URL: redis.url });
    const port = await freePort();
    const workers = startApp('workers', { ...configEnv(config), LOG_LEVEL: 'info', WORKERS_PORT: String(port) });
    try {
      await waitFor(async () => (await health(port)).status === 200, 'workers healthy', 20_000, 100);
      await redis.kill();
      await new Promise((r) => setTimeout(r, 3000));
      const h = await health(port);
      expect(h.status).toBe(503);
      expect(h.ms).toBeLessThan(1000);
      expect(h.body).toMatchObject({ redis: false, postgres: true });
      expect(Object.keys(h.body.down as object)).toEqual(['redis']);
      expect(workers.proc.exitCode).toBeNull();
      await redis.start();
      await waitFor(async () => (await health(port)).status === 200, 'workers healthy once Redis is back', 30_000, 100);
      const out = workers.output();
      expect(count(out, 'redis unavailable')).toBe(1);
      expect(count(out, 'redis is back')).toBe(1);
      expect(out).not.toMatch(/"level":"error"/);
    } finally {
      await workers.kill();
      await redis.kill();
    }
  });
});
