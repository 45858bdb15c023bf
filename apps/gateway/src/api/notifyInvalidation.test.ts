import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { getJson } from '../../../../test/support/httpClient.js';
import { freePort } from '../../../../test/support/listen.js';
import { startApp, type AppProcess } from '../../../../test/support/processes.js';
import { configEnv, testConfig, uniqueEnterprise, waitFor } from '../../../../test/support/testEnv.js';

describe('config cache invalidation across processes', () => {
  const config = testConfig();
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'notify-test' }));
  const e = uniqueEnterprise();
  let gateway: AppProcess;
  let base: string;

  beforeAll(async () => {
    await db.insertInto('enterprises').values({
      number: e.number, name: e.name, name2: e.token, active: true,
      integrations_config: JSON.stringify({ retailcrm: { enabled: false } }),
    }).execute();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // An hour between full refreshes and TTLs: within this test only NOTIFY can bring the change.
    gateway = startApp('gateway', {
      ...configEnv(config), GATEWAY_PORT: String(port),
      CONFIG_CACHE_TTL_SECONDS: '3600', CONFIG_REFRESH_SECONDS: '3600', CONFIG_REFRESH_JITTER_SECONDS: '0',
    });
    await waitFor(async () => (await getJson(base, '/health').catch(() => ({ status: 0 }))).status === 200, `gateway up (${gateway.output()})`, 20_000, 100);
  });

  afterAll(async () => {
    await gateway.kill();
    const redis = new Redis(config.redisUrl);
    const keys = await redis.keys(`${config.queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.destroy();
  });

  it('reaches the gateway process within a second of a settings change committed here', async () => {
    const warm = await getJson(base, `/integrations/${e.number}`);
    expect(warm.body).toMatchObject({ integrations: { retailcrm: false } });
    expect((await getJson(base, `/integrations/${e.number}`)).body.source).toBe('cache');

    await db.updateTable('enterprises')
      .set({ integrations_config: JSON.stringify({ retailcrm: { enabled: true, domain: 'https://x.retailcrm.ru', api_key: 'k-123456' } }) })
      .where('number', '=', e.number).execute();
    const committed = Date.now();
    await waitFor(async () => {
      const reply = await getJson(base, `/integrations/${e.number}`);
      return (reply.body.integrations as Record<string, boolean>).retailcrm === true;
    }, 'the gateway to see the change', 1000, 10);
    const took = Date.now() - committed;
    console.log(`settings change seen by the gateway process ${took} ms after the commit`);
    expect(took).toBeLessThan(1000);
  });

  it('drops an enterprise that is deactivated, so it is no longer found', async () => {
    await db.updateTable('enterprises').set({ active: false }).where('number', '=', e.number).execute();
    const committed = Date.now();
    await waitFor(async () => (await getJson(base, `/integrations/${e.number}`)).status === 404, 'the gateway to forget it', 1000, 10);
    expect(Date.now() - committed).toBeLessThan(1000);
  });
});
