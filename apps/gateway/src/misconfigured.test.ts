import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { MisconfigRegistry } from '@callpipe/queues';
import { getJson } from '../../../test/support/httpClient.js';
import { deleteKeys, serveGateway } from '../../../test/support/gatewayServer.js';
import { testConfig, uniqueEnterprise } from '../../../test/support/testEnv.js';

describe('misconfigured enterprises in the gateway /health and /stats', () => {
  const config = testConfig();
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'gateway-misconfig-test' }));
  const badBot = uniqueEnterprise();
  const badSchema = uniqueEnterprise();
  let redis: Redis;
  let registry: MisconfigRegistry;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    redis = new Redis(config.redisUrl);
    registry = new MisconfigRegistry(redis, config.queuePrefix, 0);
    await db.insertInto('enterprises').values({
      number: badSchema.number, name: badSchema.name, name2: badSchema.token, active: true,
      integrations_config: JSON.stringify({ retailcrm: { enabled: true, domain: 'not a url' } }),
    }).execute();
    ({ base, close } = await serveGateway(config, true));
  });

  afterAll(async () => {
    await close();
    await db.deleteFrom('enterprises').where('number', '=', badSchema.number).execute();
    await db.destroy();
    await deleteKeys(redis, `${config.queuePrefix}*`);
    redis.disconnect();
  });

  it('lists what workers reported and settings that fail their schema, with the reason', async () => {
    expect(await registry.report(badBot.number, 'telegram', 'enterprises.bot_token is not a bot token')).toBe(true);
    expect(await registry.report(badBot.number, 'telegram', 'enterprises.bot_token is not a bot token')).toBe(false);
    const health = await getJson(base, '/health');
    expect(health.body.misconfigured_complete).toBe(true);
    expect(health.body.misconfigured).toEqual(expect.arrayContaining([
      expect.objectContaining({ enterprise: badBot.number, integration: 'telegram', reason: 'enterprises.bot_token is not a bot token' }),
      expect.objectContaining({ enterprise: badSchema.number, integration: 'retailcrm', reason: expect.stringMatching(/^settings fail their schema/) }),
    ]));
    const stats = await getJson(base, '/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.misconfigured).toEqual(health.body.misconfigured);
    expect(stats.body).toHaveProperty('hits');
  });

  it('drops an entry once it is cleared', async () => {
    expect(await registry.clear(badBot.number, 'telegram')).toBe(true);
    expect(await registry.clear(badBot.number, 'telegram')).toBe(false);
    const health = await getJson(base, '/health');
    expect((health.body.misconfigured as Array<{ enterprise: string }>).map((m) => m.enterprise)).not.toContain(badBot.number);
  });
});
