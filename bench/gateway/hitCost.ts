/** The cost of a warm hit inside the process, without HTTP: ConfigCache.hitLocal, timed over many calls. */
import { ConfigCache, pgEnterpriseSource } from '@callpipe/config-cache';
import { createDb, createPool } from '@callpipe/db';
import { createLogger } from '@callpipe/logging';
import { createRedis } from '@callpipe/queues';

export async function measureHitCost(databaseUrl: string, redisUrl: string, prefix: string, enterprise: string): Promise<{ nsPerHit: number; calls: number }> {
  const db = createDb(createPool({ connectionString: databaseUrl, max: 1, applicationName: 'bench-hit-cost' }));
  const redis = createRedis(redisUrl, 'fail-fast', 'bench-hit-cost');
  await new Promise((resolve) => redis.once('ready', resolve));
  const cache = new ConfigCache({
    redis, prefix, source: pgEnterpriseSource(db), log: createLogger('bench', 'silent'),
    ttlMs: 3_600_000, refreshMs: 3_600_000, refreshJitterMs: 0, cleanupMs: 3_600_000,
  });
  try {
    await cache.lookup(enterprise, 'integrations');
    const calls = 2_000_000;
    let found = 0;
    for (let i = 0; i < 100_000; i += 1) if (cache.hitLocal(enterprise, 'integrations')) found += 1; // warm the JIT
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i += 1) if (cache.hitLocal(enterprise, 'integrations')) found += 1;
    const ns = Number(process.hrtime.bigint() - started);
    if (found !== calls + 100_000) throw new Error('hit cost: the entry was not held');
    return { nsPerHit: Math.round((ns / calls) * 10) / 10, calls };
  } finally {
    await cache.stop();
    redis.disconnect();
    await db.destroy();
  }
}
