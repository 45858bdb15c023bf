import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { redisKeys, TokenStore } from '@callpipe/queues';
import { testConfig, testLogger, uniqueEnterprise, waitFor } from '../../../../test/support/testEnv.js';
import { TokenSync } from './tokenSync.js';

const config = testConfig();
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'token-sync-test' }));
const redis = new Redis(config.redisUrl);
afterAll(async () => {
  await db.destroy();
  redis.disconnect();
});

describe('token sync', () => {
  it('puts a new enterprise token in Redis within a second of the insert, and drops it when the enterprise is deactivated', async () => {
    const store = new TokenStore(redis, config.queuePrefix);
    // The refresh period is an hour: only NOTIFY can make this test pass in time.
    const sync = new TokenSync(db, store, config.databaseUrl, testLogger(), 3_600_000);
    await sync.start();
    try {
      const e = uniqueEnterprise();
      const before = Date.now();
      // Inserted as outside tools do: only the old columns.
      await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: null, active: true }).execute();
      await waitFor(async () => (await store.read())?.get(e.token) === e.number, 'token in redis', 1000, 20);
      expect(Date.now() - before).toBeLessThan(1000);
      await db.updateTable('enterprises').set({ active: false }).where('number', '=', e.number).execute();
      await waitFor(async () => !(await store.read())?.has(e.token), 'token removed from redis', 1000, 20);
    } finally {
      await sync.stop();
    }
  });

  it('publishes the set again within seconds when Redis lost it (no NOTIFY, no refresh due)', async () => {
    const e = uniqueEnterprise();
    await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: null, active: true }).execute();
    const store = new TokenStore(redis, config.queuePrefix);
    const sync = new TokenSync(db, store, config.databaseUrl, testLogger(), 3_600_000, () => false, 200);
    await sync.start();
    try {
      await waitFor(async () => (await store.read())?.get(e.token) === e.number, 'token in redis', 2000, 20);
      expect(await redis.del(redisKeys.tokens(config.queuePrefix), redisKeys.tokensPublished(config.queuePrefix))).toBe(2);
      expect(await store.read()).toBeNull();
      await waitFor(async () => (await store.read())?.get(e.token) === e.number, 'the set published again', 2000, 20);
    } finally {
      await sync.stop();
    }
  });
});
