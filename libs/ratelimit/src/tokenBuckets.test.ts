import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/testEnv.js';
import { bucketOf, RateLimitWaitTooLong, TokenBuckets } from './tokenBuckets.js';

// Two limiters on two Redis connections stand for two worker processes.
const config = testConfig();
let redisA: Redis;
let redisB: Redis;
beforeAll(() => {
  redisA = new Redis(config.redisUrl);
  redisB = new Redis(config.redisUrl);
});
afterAll(async () => {
  await redisA.quit();
  await redisB.quit();
});
const key = (what: string) => `${config.queuePrefix}:rl:${what}:${randomBytes(4).toString('hex')}`;

describe('TokenBuckets (shared by processes)', () => {
  it('grants two processes together exactly the burst of a bucket, then asks for about one refill interval', async () => {
    const a = new TokenBuckets(redisA);
    const b = new TokenBuckets(redisB);
    // 10 a minute: no token comes back while the tries run, however loaded the machine.
    const bucket = bucketOf(key('api'), 10, 60_000);
    const waits = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).tryTake([bucket])));
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
    for (const w of waits.filter((x) => x > 0)) expect(w).toBeLessThanOrEqual(6000);
  });

  it('draws from all buckets of a request or from none', async () => {
    const a = new TokenBuckets(redisA);
    // Refills so slowly that no token comes back while the test runs, however loaded the machine.
    const wide = bucketOf(key('wide'), 100, 3_600_000);
    const narrow = bucketOf(key('narrow'), 1, 10_000);
    expect(await a.tryTake([wide, narrow])).toBe(0);
    expect(await a.tryTake([wide, narrow])).toBeGreaterThan(9000);
    // The refused try took nothing from the wide bucket: 99 tokens are left of 100.
    const left = await Promise.all(Array.from({ length: 100 }, () => a.tryTake([wide])));
    expect(left.filter((w) => w === 0)).toHaveLength(99);
  });

  it('waitMs() answers the wait without taking a token', async () => {
    const a = new TokenBuckets(redisA);
    const bucket = bucketOf(key('peek'), 2, 3_600_000);
    expect(await a.waitMs([bucket])).toBe(0);
    expect(await a.waitMs([bucket])).toBe(0);
    // Two looks took nothing: both tokens are still there, then none.
    expect(await a.tryTake([bucket])).toBe(0);
    expect(await a.tryTake([bucket])).toBe(0);
    const wait = await a.waitMs([bucket]);
    expect(wait).toBeGreaterThan(1_000_000);
    // A refused take answers the same wait, less the milliseconds that passed between the two calls.
    const refused = await a.tryTake([bucket]);
    expect(refused).toBeLessThanOrEqual(wait);
    expect(refused).toBeGreaterThan(wait - 5_000);
  });

  it('a hold set by one process makes the other wait it out', async () => {
    const a = new TokenBuckets(redisA);
    const b = new TokenBuckets(redisB);
    const bucket = bucketOf(key('held'), 40, 1000);
    await a.hold(bucket, 1200);
    const wait = await b.tryTake([bucket]);
    expect(wait).toBeGreaterThan(1000);
    expect(wait).toBeLessThanOrEqual(1200);
    await expect(b.take([bucket], 100, 'crm')).rejects.toBeInstanceOf(RateLimitWaitTooLong);
    expect(await redisA.pttl(bucket.key)).toBeGreaterThan(0);
  });

  it('take() waits for the next token rather than failing', async () => {
    const a = new TokenBuckets(redisA);
    const bucket = bucketOf(key('slow'), 1, 300);
    await a.take([bucket], 1000);
    const started = Date.now();
    await a.take([bucket], 1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
