import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEventJob, Producers, QUEUE_KEYS, queues, type EventJob } from '@callpipe/queues';
import { getJson } from '../../../test/support/httpClient.js';
import { deleteKeys, serveGateway } from '../../../test/support/gatewayServer.js';
import { listen } from '../../../test/support/listen.js';
import { testConfig, testLogger } from '../../../test/support/testEnv.js';
import { createGateway } from './gateway.js';

const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

describe('gateway', () => {
  const config = testConfig({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 's3cret-pass' });
  let base: string;
  let close: () => Promise<void>;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(config.redisUrl);
    const producers = new Producers(redis, config.queuePrefix);
    const job = (uid: string): EventJob => newEventJob('dial', { Token: 't', UniqueId: uid, Phone: '375296254070', CallType: 0 }, '0367', 'live');
    await producers.add('events', 'dial', job('1.1'));
    await producers.add('events', 'dial', job('1.2'), { delay: 60_000 });
    await producers.close();
    ({ base, close } = await serveGateway(config, false));
  });

  afterAll(async () => {
    await close();
    await deleteKeys(redis, `${config.queuePrefix}*`);
    redis.disconnect();
  });

  it('reports Redis, PostgreSQL and the depth of every queue on /health', async () => {
    const reply = await getJson(base, '/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'ok', redis: 'ok', postgres: 'ok', queues: { events: { waiting: 1, delayed: 1, failed: 0 } } });
  });

  it('exports the depth of every queue on /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/callpipe_queue_jobs\{queue="events",state="waiting"\} 1/);
    expect(text).toMatch(/callpipe_queue_jobs\{queue="events",state="delayed"\} 1/);
  });

  it('asks for a login on Bull Board and refuses a wrong password', async () => {
    const anonymous = await fetch(`${base}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(`${base}/admin/queues`, { headers: basic('ops', 'wrong') })).status).toBe(401);
  });

  it('shows Bull Board with every queue to a logged-in operator', async () => {
    const page = await fetch(`${base}/admin/queues`, { headers: basic('ops', 's3cret-pass') });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const api = await getJson(base, '/admin/queues/api/queues', basic('ops', 's3cret-pass'));
    expect(api.status).toBe(200);
    const names = (api.body.queues as { name: string }[]).map((q) => q.name);
    expect(names.sort()).toEqual(QUEUE_KEYS.map((k) => queues[k].name).sort());
  });

  it('refuses Bull Board with a clear message when no login is configured', async () => {
    const open = createGateway({ ...config, adminUser: undefined, adminPassword: undefined }, testLogger());
    const { base: b2, close: c2 } = await listen(open.app);
    try {
      const reply = await fetch(`${b2}/admin/queues`);
      expect(reply.status).toBe(503);
      expect(await reply.text()).toMatch(/set ADMIN_USER and ADMIN_PASSWORD/);
    } finally {
      await c2();
      await open.stop();
    }
  });
});
