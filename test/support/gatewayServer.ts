/** For the gateway tests: the gateway app on a free port, and the clean-up of the Redis keys a test made. */
import type { Redis } from 'ioredis';
import type { Config } from '@callpipe/config';
import { createGateway } from '../../apps/gateway/src/gateway.js';
import { listen } from './listen.js';
import { testLogger } from './testEnv.js';

/**
 * The gateway listening on a free port: started first (caches loaded, as in production) when `start`,
 * else only built. close() closes the listener, then stops the gateway.
 */
export async function serveGateway(config: Config, start: boolean): Promise<{ base: string; close: () => Promise<void> }> {
  const gateway = createGateway(config, testLogger());
  if (start) await gateway.start();
  const l = await listen(gateway.app);
  return {
    base: l.base,
    close: async () => {
      await l.close();
      await gateway.stop();
    },
  };
}

/** Deletes the keys matching `pattern` (a test's own queue prefix and a wildcard). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  const keys = await redis.keys(pattern);
  if (keys.length) await redis.del(...keys);
}
