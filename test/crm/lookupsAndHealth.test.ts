import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmBreaker } from '@callpipe/crm';
import { createDb, createPool } from '@callpipe/db';
import { createConfigCache } from '@callpipe/config-cache';
import { MisconfigRegistry, Producers } from '@callpipe/queues';
import { crmCustomerNames, crmDispatchDeps } from '../../apps/workers/src/crm/deps.js';
import { FAST } from './crmHarness.js';
import { RETAILCRM_NO_FAULTS, RetailCrmSandbox, retailCrmApiRoutes } from '../../apps/sandbox/src/crm/retailcrm/index.js';
import { createGateway, type Gateway } from '../../apps/gateway/src/gateway.js';
import { getJson } from '../support/httpClient.js';
import { listen } from '../support/listen.js';
import { testConfig, testLogger, uniqueEnterprise } from '../support/testEnv.js';

const config = testConfig({ CRM_LOOKUP_TIMEOUT_MS: '600', CRM_LOOKUP_CACHE_SECONDS: '60' });
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 4, applicationName: 'crm-lookup-test' }));
const redis = new Redis(config.redisUrl);
const sandbox = new RetailCrmSandbox();
let crmBase = '';
let base = '';
let gateway: Gateway;
const closers: (() => Promise<void>)[] = [];

const ent = uniqueEnterprise();
const account = `lk${ent.number}`;
const PHONE = '375291112233';

beforeAll(async () => {
  const app = express();
  app.use(retailCrmApiRoutes(sandbox));
  const crm = await listen(app);
  crmBase = crm.base;
  closers.push(crm.close);
  sandbox.setup({
    name: account, apiKey: 'lookup-key-1',
    users: [{ id: 19, firstName: 'Иван', lastName: 'Петров', code: '150' }],
    customers: [{ id: 7, firstName: 'Анна', lastName: 'Сидорова', phones: [{ number: `+${PHONE}` }], managerId: 19 }],
  });
  await db.insertInto('enterprises').values({
    number: ent.number, name: ent.name, name2: ent.token,
    integrations_config: JSON.stringify({
      retailcrm: { enabled: true, domain: `${crmBase}/retailcrm/${account}`, api_key: 'lookup-key-1', user_extensions: { 19: '150' } },
      smart: { enabled: true, primary: 'retailcrm' },
    }),
  }).execute();
  await db.insertInto('customers').values({ enterprise_number: ent.number, phone_e164: '+375291119999', last_name: 'Табличная', first_name: 'Ольга' }).execute();
  gateway = createGateway(config, testLogger());
  await gateway.start();
  const g = await listen(gateway.app);
  base = g.base;
  closers.push(g.close);
});
afterAll(async () => {
  for (const c of closers) await c();
  await gateway.stop();
  redis.disconnect();
  await db.destroy();
});

const requests = () => sandbox.state.requestLog({ account }).length;

describe('lookups through the primary CRM', () => {
  it('/customer-name and /customer-profile answer from RetailCRM, then from the Redis cache without asking again', async () => {
    const first = await getJson(base, `/customer-name/${ent.number}/${PHONE}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ source: 'retailcrm', primary: 'retailcrm' });
    expect(String(first.body.name)).toContain('Сидорова');
    const asked = requests();
    expect(asked).toBeGreaterThanOrEqual(1);
    const again = await getJson(base, `/customer-name/${ent.number}/${PHONE}`);
    expect(again.body.name).toBe(first.body.name);
    const profile = await getJson(base, `/customer-profile/${ent.number}/${PHONE}`);
    expect(profile.body).toMatchObject({ found: true, full_name: first.body.name, source: 'retailcrm' });
    expect(requests()).toBe(asked);
  });

  it('/responsible-extension names the extension of the customer\'s manager', async () => {
    const r = await getJson(base, `/responsible-extension/${ent.number}/${PHONE}`);
    expect(r.body).toMatchObject({ extension: '150', source: 'retailcrm' });
  });

  it('a CRM slower than the lookup timeout: the customers table answers, in about the timeout', async () => {
    sandbox.faults.set(account, { ...RETAILCRM_NO_FAULTS, delayMs: 3000 });
    const started = Date.now();
    const r = await getJson(base, `/customer-name/${ent.number}/375291119999`);
    const took = Date.now() - started;
    sandbox.faults.delete(account);
    expect(r.body).toMatchObject({ name: 'Табличная Ольга', source: 'customers' });
    expect(took).toBeLessThan(1500);
    expect(took).toBeGreaterThanOrEqual(550);
  });

  it('every lookup attempt is in integration_logs with the key masked', async () => {
    const rows = await db.selectFrom('integration_logs').selectAll().where('enterprise_number', '=', ent.number).execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.some((r) => r.event_type === 'customer' && r.status === 'success')).toBe(true);
    for (const r of rows) expect(JSON.stringify(r.request_data)).not.toContain('lookup-key-1');
  });
});

describe('the Telegram texts\' customer name', () => {
  it('comes from the primary CRM for a number it knows; null (the customers table then) for one it does not', async () => {
    const cacheRedis = new Redis(config.redisUrl);
    const producers = new Producers(redis, config.queuePrefix);
    const cache = createConfigCache({
      redis: cacheRedis, db, databaseUrl: config.databaseUrl, prefix: `${config.queuePrefix}w`, log: testLogger(),
      ttlSeconds: 60, refreshSeconds: 240, refreshJitterSeconds: 60, cleanupSeconds: 30,
    });
    try {
      const deps = crmDispatchDeps(FAST, { redis, prefix: `${config.queuePrefix}w`, cache, db, producers });
      const nameOf = crmCustomerNames(deps, 600, 60, testLogger());
      expect(await nameOf(ent.number, PHONE)).toContain('Сидорова');
      expect(await nameOf(ent.number, '375290000001')).toBeNull();
      expect(await nameOf(uniqueEnterprise().number, PHONE)).toBeNull();
    } finally {
      await cache.stop();
      await producers.close();
      cacheRedis.disconnect();
    }
  });
});

describe('the CRM circuits and flags in /health, /stats and /metrics', () => {
  it('an open breaker and a refused key are listed; the metric says 1 for that CRM', async () => {
    const other = uniqueEnterprise().number;
    const breaker = new CrmBreaker(redis, config.queuePrefix, { failureThreshold: 2, openMs: 60_000, maxOpenMs: 60_000, probeLeaseMs: 1000 });
    await breaker.failure(other, 'retailcrm', 'HTTP 503');
    await breaker.failure(other, 'retailcrm', 'HTTP 503');
    await new MisconfigRegistry(redis, config.queuePrefix).report(other, 'retailcrm', 'retailcrm refused our credentials: HTTP 401');

    const health = await getJson(base, '/health');
    const open = health.body.crm_circuits_open as { enterprise: string; state: string; lastError: string }[];
    expect(open.find((b) => b.enterprise === other)).toMatchObject({ state: 'open', lastError: 'HTTP 503' });
    expect((health.body.misconfigured as { enterprise: string }[]).some((m) => m.enterprise === other)).toBe(true);

    const stats = await getJson(base, '/stats');
    expect((stats.body.crm_breakers as { enterprise: string }[]).some((b) => b.enterprise === other)).toBe(true);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`callpipe_crm_breaker_open\\{[^}]*enterprise="${other}"[^}]*integration="retailcrm"[^}]*\\} 1`));

    await breaker.success(other, 'retailcrm');
    const after = await getJson(base, '/health');
    expect((after.body.crm_circuits_open as { enterprise: string }[]).some((b) => b.enterprise === other)).toBe(false);
  });
});
