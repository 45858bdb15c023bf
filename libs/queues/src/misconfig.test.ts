import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/testEnv.js';
import { MisconfigRegistry } from './misconfig.js';

describe('misconfiguration registry (real Redis)', () => {
  const config = testConfig();
  const redis = new Redis(config.redisUrl);

  afterAll(async () => {
    const keys = await redis.keys(`${config.queuePrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('says "changed" once per enterprise and change, across processes', async () => {
    const a = new MisconfigRegistry(redis, config.queuePrefix, 0);
    const b = new MisconfigRegistry(redis, config.queuePrefix, 0);
    expect(await a.report('0367', 'telegram', 'enterprises.bot_token is not a bot token')).toBe(true);
    expect(await b.report('0367', 'telegram', 'enterprises.bot_token is not a bot token')).toBe(false);
    expect(await b.report('0367', 'telegram', 'telegram_users.bot_token of recipient 5 is not a bot token')).toBe(true);
    expect(await a.report('0367', 'retailcrm', 'api_key refused (401)')).toBe(true);
    expect(await a.report('0368', 'config', 'integrations_config must be a JSON object')).toBe(true);
    const list = await b.list();
    expect(list.map((m) => [m.enterprise, m.integration, m.reason])).toEqual([
      ['0367', 'retailcrm', 'api_key refused (401)'],
      ['0367', 'telegram', 'telegram_users.bot_token of recipient 5 is not a bot token'],
      ['0368', 'config', 'integrations_config must be a JSON object'],
    ]);
    expect(Number.isNaN(Date.parse(list[0]!.since))).toBe(false);
    expect(await a.clear('0367', 'telegram')).toBe(true);
    expect(await b.clear('0367', 'telegram')).toBe(false);
    expect((await a.list()).map((m) => m.integration)).toEqual(['retailcrm', 'config']);
  });

  it('spares Redis the repeats within its memo window', async () => {
    const memo = new MisconfigRegistry(redis, config.queuePrefix, 60_000);
    expect(await memo.report('0369', 'telegram', 'r')).toBe(true);
    // Removed behind its back: within the memo window this process does not look again.
    await redis.hdel(`${config.queuePrefix}:misconfig`, '0369|telegram');
    expect(await memo.report('0369', 'telegram', 'r')).toBe(false);
    expect((await memo.list()).some((m) => m.enterprise === '0369')).toBe(false);
  });
});
