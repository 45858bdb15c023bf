import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisKeys, TokenStore } from '@callpipe/queues';
import { testLogger, uniquePrefix } from '../../../../test/support/testEnv.js';
import { TokenCache } from './tokenCache.js';

const url = 'redis://127.0.0.1:6379';
const redis = new Redis(url);
const subscribers: Redis[] = [];
afterAll(() => {
  redis.disconnect();
  for (const s of subscribers) s.disconnect();
});

function cache(prefix: string, dir = mkdtempSync(join(tmpdir(), 'tokens-'))): { tokens: TokenCache; store: TokenStore; dir: string } {
  const sub = new Redis(url);
  sub.on('error', () => undefined);
  subscribers.push(sub);
  const store = new TokenStore(redis, prefix);
  return { tokens: new TokenCache(store, sub, testLogger(), 3_600_000, dir), store, dir };
}

describe('the ingest token set at a cold start', () => {
  it('treats a set the workers never published as "not loaded" (503), and a published empty set as "no tokens" (403)', async () => {
    const { tokens, store } = cache(uniquePrefix());
    await tokens.start();
    try {
      expect(tokens.isLoaded()).toBe(false);
      expect(tokens.check('any')).toBe('not-loaded');
      await store.replace(new Map());
      await tokens.refresh();
      expect(tokens.origin()).toBe('published');
      expect(tokens.check('any')).toBe('unknown');
    } finally {
      tokens.stop();
    }
  });

  it('keeps accepting known tokens when the set vanishes from Redis, answering others "not loaded" until it is back', async () => {
    const prefix = uniquePrefix();
    const { tokens, store } = cache(prefix);
    await store.replace(new Map([['tok-a', '0367']]));
    await tokens.start();
    try {
      expect(tokens.check('tok-a')).toEqual({ enterprise: '0367' });
      expect(tokens.check('tok-x')).toBe('unknown');
      expect(await redis.del(redisKeys.tokens(prefix), redisKeys.tokensPublished(prefix))).toBe(2);
      await tokens.refresh();
      expect(tokens.origin()).toBe('stale');
      expect(tokens.check('tok-a')).toEqual({ enterprise: '0367' });
      expect(tokens.check('tok-x')).toBe('not-loaded');
      await store.replace(new Map([['tok-a', '0367']]));
      await tokens.refresh();
      expect(tokens.check('tok-x')).toBe('unknown');
    } finally {
      tokens.stop();
    }
  });

  it('starts from its snapshot when Redis has no set: known tokens pass, unknown ones wait (503)', async () => {
    const first = cache(uniquePrefix());
    await first.store.replace(new Map([['tok-s', '0368']]));
    await first.tokens.start();
    first.tokens.stop();
    // A restart against a Redis that lost its keys (here: a fresh prefix), same spool directory.
    const second = cache(uniquePrefix(), first.dir);
    await second.tokens.start();
    try {
      expect(second.tokens.origin()).toBe('snapshot');
      expect(second.tokens.check('tok-s')).toEqual({ enterprise: '0368' });
      expect(second.tokens.check('tok-other')).toBe('not-loaded');
    } finally {
      second.tokens.stop();
    }
  });
});
