/**
 * What a processor's context holds, for in-process tests: a pool on the run's database, a Redis
 * client and producers under a queue prefix of the test's own. `close()` goes in the file's afterAll.
 */
import { createDb, createPool } from '@callpipe/db';
import { Producers } from '@callpipe/queues';
import { Redis } from 'ioredis';
import { testConfig, testLogger } from './testEnv.js';

export function processorDeps(applicationName: string, poolMax = 2) {
  const config = testConfig();
  const pool = createPool({ connectionString: config.databaseUrl, max: poolMax, applicationName });
  const db = createDb(pool);
  const redis = new Redis(config.redisUrl);
  const producers = new Producers(redis, config.queuePrefix);
  return {
    config, pool, db, redis, producers,
    /** A job context with a silent logger. */
    ctx: () => ({ db, log: testLogger(), producers }),
    close: async () => {
      await producers.close();
      redis.disconnect();
      await db.destroy();
    },
  };
}
