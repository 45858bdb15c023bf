/**
 * Start-up order and ports, with the built apps as production runs them: a cold start (ingest before
 * the workers, a fresh queue prefix) never answers a valid token 403; lost Redis keys are republished;
 * a port in use is one clear line and a non-zero exit.
 */
import { createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool, type Database } from '@callpipe/db';
import { redisKeys } from '@callpipe/queues';
import { postJson, getJson } from '../support/httpClient.js';
import { freePort } from '../support/listen.js';
import { startApp, type AppProcess } from '../support/processes.js';
import { configEnv, testConfig, uniqueEnterprise, waitFor } from '../support/testEnv.js';

let db: Kysely<Database>;
let redis: Redis;
beforeAll(() => {
  const config = testConfig();
  db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'startup-test' }));
  redis = new Redis(config.redisUrl);
});
afterAll(async () => {
  await db.destroy();
  redis.disconnect();
});

async function addEnterprise(): Promise<{ number: string; token: string }> {
  const e = uniqueEnterprise();
  await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: null, active: true }).execute();
  return e;
}

const dial = (token: string, uid: string) => ({ Token: token, UniqueId: uid, Phone: '375291234567', CallType: 0, Extensions: ['150'] });
const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('cold start', () => {
  it('answers a valid token 503 (retryable) until the workers publish the set, never 403; every event is stored once', async () => {
    const config = testConfig();
    const e = await addEnterprise();
    const port = await freePort();
    const env = { ...configEnv(config), LOG_LEVEL: 'info' };
    const ingest = startApp('ingest', { ...env, INGEST_PORT: String(port) });
    let workers: AppProcess | undefined;
    const base = `http://127.0.0.1:${port}`;
    const statuses: number[] = [];
    try {
      await waitFor(async () => (await getJson(base, '/health').catch(() => ({ status: 0 }))).status > 0, 'ingest listening', 20_000, 50);
      // Hosts post from the first moment; a host resends a 503 (not a 403), as Asterisk's sender does.
      const started = Date.now();
      const uids = Array.from({ length: 40 }, (_, i) => `7${started}.${i}`);
      const post = async (uid: string) => {
        for (;;) {
          const r = await postJson(base, '/dial', dial(e.token, uid)).catch(() => ({ status: 0, body: {} }));
          statuses.push(r.status);
          if (r.status === 200 || r.status === 403) return r.status;
          await new Promise((res) => setTimeout(res, 100));
        }
      };
      const posting = uids.map(async (uid, i) => {
        await new Promise((res) => setTimeout(res, i * 50));
        return post(uid);
      });
      // The workers come up 3 s late (a deploy, a crash-looping worker).
      await new Promise((res) => setTimeout(res, 3000));
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      workers = startApp('workers', { ...env, WORKERS_PORT: '0' });
      const finals = await Promise.all(posting);
      expect(finals.every((s) => s === 200)).toBe(true);
      expect(statuses.filter((s) => s === 403)).toEqual([]);
      const stored = await waitFor(async () => {
        const rows = await db.selectFrom('call_events').select('unique_id').where('enterprise_number', '=', e.number).execute();
        return rows.length >= uids.length ? rows : undefined;
      }, 'every event stored', 30_000, 200);
      expect(stored.map((r) => r.unique_id).sort()).toEqual([...uids].sort());
      // A start with nothing wrong logs no warning.
      expect(ingest.output()).not.toMatch(/"level":"(warn|error|fatal)"/);
    } finally {
      await workers?.kill();
      await ingest.kill();
    }
  });

  it('keeps accepting a valid token when Redis loses the token set, and the workers publish it again', async () => {
    const config = testConfig();
    const e = await addEnterprise();
    const port = await freePort();
    const env = { ...configEnv(config), LOG_LEVEL: 'info' };
    const workers = startApp('workers', { ...env, WORKERS_PORT: '0' });
    // The ingest re-reads the set every second: it may see the set gone before the workers restore it.
    const ingest = startApp('ingest', { ...env, INGEST_PORT: String(port), TOKEN_REFRESH_SECONDS: '1' });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => (await postJson(base, '/dial', dial(e.token, `6${Date.now()}`)).catch(() => ({ status: 0 }))).status === 200, 'ingest to accept the token', 20_000, 200);
      const lost = await redis.del(redisKeys.tokens(config.queuePrefix), redisKeys.tokensPublished(config.queuePrefix));
      expect(lost).toBe(2);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        statuses.push((await postJson(base, '/dial', dial(e.token, `5${Date.now()}.${i}`))).status);
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(statuses.every((s) => s === 200)).toBe(true);
      await waitFor(async () => (await redis.hget(redisKeys.tokens(config.queuePrefix), e.token)) === e.number, 'the set published again', 10_000, 100);
    } finally {
      await ingest.kill();
      await workers.kill();
    }
  });
});

describe('a port already in use', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, resolve));
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  for (const app of ['ingest', 'gateway'] as const) {
    it(`makes ${app} exit non-zero with one clear line, not log "listening"`, async () => {
      const config = testConfig();
      const p = startApp(app, { ...configEnv(config), LOG_LEVEL: 'info', [app === 'ingest' ? 'INGEST_PORT' : 'GATEWAY_PORT']: String(port) });
      const code = await Promise.race([
        new Promise<number | null>((resolve) => p.proc.once('exit', (c) => resolve(c))),
        new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 15_000)),
      ]);
      if (code === 'running') await p.kill('SIGKILL');
      expect(code).toBe(1);
      expect(count(p.output(), `port ${port} is already in use`)).toBe(1);
      expect(p.output()).not.toContain(`${app} listening`);
    });
  }

  it('lets a second workers process on the same host take the next free health port', async () => {
    const config = testConfig();
    const healthPort = await freePort();
    const env = { ...configEnv(config), LOG_LEVEL: 'info', WORKERS_PORT: String(healthPort) };
    const first = startApp('workers', env);
    let second: AppProcess | undefined;
    try {
      await waitFor(async () => (await getJson(`http://127.0.0.1:${healthPort}`, '/health').catch(() => ({ status: 0 }))).status === 200, 'first workers healthy', 20_000, 200);
      second = startApp('workers', env);
      await waitFor(async () => second!.output().includes('workers started'), 'second workers started', 20_000, 200);
      const line = second.output().split('\n').find((l) => l.includes('workers health listening'));
      const taken = (JSON.parse(line!) as { port: number }).port;
      expect(taken).toBeGreaterThan(healthPort);
      // Healthy on that port once its first probes answer (600 ms each: a loaded run can miss the first).
      await waitFor(async () => (await getJson(`http://127.0.0.1:${taken}`, '/health').catch(() => ({ status: 0 }))).status === 200, 'second workers healthy on its port', 20_000, 200);
      await new Promise((res) => setTimeout(res, 1000));
      expect(first.proc.exitCode).toBeNull();
      expect(second.proc.exitCode).toBeNull();
    } finally {
      await second?.kill();
      await first.kill();
    }
  });
});
