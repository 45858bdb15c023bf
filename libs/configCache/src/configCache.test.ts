import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { createRedis } from '@callpipe/queues';
import { testConfig, testLogger, uniqueEnterprise, uniquePrefix, waitFor } from '../../../test/support/testEnv.js';
import { ConfigCache, type ConfigCacheOptions } from './configCache.js';
import { pgAnnounce, pgEnterpriseSource, type EnterpriseSource } from './enterpriseSource.js';
import { cacheKeys } from './redisTier.js';

const config = testConfig();
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 6, applicationName: 'config-cache-test' }));
const clients: Redis[] = [];
const caches: ConfigCache[] = [];
const prefixes = new Set<string>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  await Promise.all(caches.map((c) => c.stop()));
  for (const prefix of prefixes) {
    const keys = await clients[0]!.keys(`${prefix}:*`);
    if (keys.length) await clients[0]!.del(...keys);
  }
  for (const c of clients) c.disconnect();
  await db.destroy();
});

async function redis(url = config.redisUrl): Promise<Redis> {
  const r = createRedis(url, 'fail-fast', 'config-cache-test');
  r.on('error', () => undefined);
  clients.push(r);
  if (url === config.redisUrl && r.status !== 'ready') await new Promise((resolve) => r.once('ready', resolve));
  return r;
}

/** The PostgreSQL source with every query counted (and optionally slowed, to widen the race). */
function counted(delayMs = 0): { calls: { one: number; all: number }; source: EnterpriseSource } {
  const base = pgEnterpriseSource(db);
  const calls = { one: 0, all: 0 };
  return {
    calls,
    source: {
      async loadOne(id) {
        calls.one += 1;
        if (delayMs) await sleep(delayMs);
        return base.loadOne(id);
      },
      async loadAll() {
        calls.all += 1;
        return base.loadAll();
      },
      findNumber: (id) => base.findNumber(id),
    },
  };
}

type Over = Partial<ConfigCacheOptions> & Pick<ConfigCacheOptions, 'source'>;
async function cache(over: Over, prefix = config.queuePrefix): Promise<ConfigCache> {
  prefixes.add(prefix);
  const c = new ConfigCache({
    redis: await redis(), prefix, log: testLogger(), ttlMs: 90_000, refreshMs: 240_000, refreshJitterMs: 60_000, cleanupMs: 30_000,
    ...over,
  });
  caches.push(c);
  return c;
}

async function enterprise(integrations: unknown = { retailcrm: { enabled: false }, uon: { enabled: false } }) {
  const e = uniqueEnterprise();
  await db.insertInto('enterprises')
    .values({ number: e.number, name: e.name, name2: e.token, active: true, integrations_config: JSON.stringify(integrations) })
    .execute();
  return e;
}

const setConfig = (number: string, integrations: unknown) =>
  db.updateTable('enterprises').set({ integrations_config: JSON.stringify(integrations) }).where('number', '=', number).execute();

describe('config cache tiers', () => {
  it('answers a repeat from memory and another process from Redis, with one PostgreSQL query in all', async () => {
    const e = await enterprise();
    const a = counted();
    const b = counted();
    const one = await cache({ source: a.source });
    const two = await cache({ source: b.source });
    expect((await one.lookup(e.number, 'integrations'))?.source).toBe('database');
    expect((await one.lookup(e.number, 'integrations'))?.source).toBe('local');
    const fromRedis = await two.lookup(e.number, 'config');
    expect(fromRedis?.source).toBe('redis');
    expect(fromRedis?.entry.integrations).toEqual({ retailcrm: false, uon: false });
    expect(a.calls.one + b.calls.one).toBe(1);
    expect(one.stats()).toMatchObject({ hits: 1, misses: 1, total_requests: 2, hit_rate_percent: 50, cache_size: 1 });
    expect(two.stats()).toMatchObject({ config_hits: 1, config_misses: 0, config_hit_rate_percent: 100, redis_hits: 1 });
  });

  it('finds an enterprise by number, by host token and by name in any case', async () => {
    const e = await enterprise();
    const { calls, source } = counted();
    const byToken = await cache({ source }, uniquePrefix());
    expect((await byToken.lookup(e.token, 'integrations'))?.entry.number).toBe(e.number);
    expect((await byToken.lookup(e.number, 'integrations'))?.source).toBe('local');
    expect((await byToken.lookup(e.name.toUpperCase(), 'integrations'))?.source).toBe('local');
    expect(calls.one).toBe(1);

    const prefix = uniquePrefix();
    const byName = await cache({ source: counted().source }, prefix);
    expect((await byName.lookup(e.name.toUpperCase(), 'integrations'))?.entry).toMatchObject({ number: e.number, token: e.token });
    // Another process finds it in Redis by name or token through the alias keys.
    const other = counted();
    const viaAlias = await cache({ source: other.source }, prefix);
    expect((await viaAlias.lookup(e.token, 'integrations'))?.source).toBe('redis');
    expect(other.calls.one).toBe(0);

    expect(await byToken.lookup(`${e.number}-nope`, 'integrations')).toBeNull();
    expect(await byToken.lookupToken(e.number)).toBeNull(); // a number is not a host token
    expect((await byToken.lookupToken(e.token))?.entry.number).toBe(e.number);
  });

  it('stops serving an entry from either tier once its TTL has passed', async () => {
    const e = await enterprise();
    const { calls, source } = counted();
    const c = await cache({ source, ttlMs: 300 });
    expect((await c.lookup(e.number, 'integrations'))?.source).toBe('database');
    expect((await c.lookup(e.number, 'integrations'))?.source).toBe('local');
    const key = cacheKeys(config.queuePrefix).entry(e.number);
    expect(await clients[0]!.pttl(key)).toBeGreaterThan(0);
    await sleep(400);
    expect(await clients[0]!.exists(key)).toBe(0);
    expect((await c.lookup(e.number, 'integrations'))?.source).toBe('database');
    expect(calls.one).toBe(2);
  });

  it('makes one PostgreSQL query for 100 concurrent misses in one process', async () => {
    const e = await enterprise();
    const { calls, source } = counted(30);
    const c = await cache({ source });
    const answers = await Promise.all(Array.from({ length: 100 }, () => c.lookup(e.number, 'integrations')));
    expect(calls.one).toBe(1);
    expect(new Set(answers.map((a) => a?.entry.number))).toEqual(new Set([e.number]));
    expect(c.stats()).toMatchObject({ misses: 100, database_loads: 1 });
  });

  it('makes one PostgreSQL query for 100 concurrent misses spread over three processes (Redis lock)', async () => {
    const e = await enterprise();
    const sources = [counted(50), counted(50), counted(50)];
    const three = await Promise.all(sources.map((s) => cache({ source: s.source })));
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => three[i % 3]!.lookup(e.number, 'integrations')));
    expect(sources.reduce((n, s) => n + s.calls.one, 0)).toBe(1);
    expect(answers.every((a) => a?.entry.number === e.number)).toBe(true);
  });

  it('makes one query for 100 concurrent lookups of an unknown enterprise, and remembers the answer briefly for other processes', async () => {
    const unknown = `nope-${uniqueEnterprise().number}`;
    const a = counted(30);
    const b = counted();
    const one = await cache({ source: a.source });
    const answers = await Promise.all(Array.from({ length: 100 }, () => one.lookup(unknown, 'integrations')));
    expect(answers.every((x) => x === null)).toBe(true);
    expect(a.calls.one).toBe(1);
    expect(await (await cache({ source: b.source })).lookup(unknown, 'integrations')).toBeNull();
    expect(b.calls.one).toBe(0);
  });

  it('keeps answering from PostgreSQL, still one query per identifier, while Redis is unreachable', async () => {
    const e = await enterprise({ uon: { enabled: true, api_key: 'k' } });
    const { calls, source } = counted(20);
    const c = new ConfigCache({
      redis: await redis('redis://127.0.0.1:1'), prefix: uniquePrefix(), source, log: testLogger(),
      ttlMs: 90_000, refreshMs: 240_000, refreshJitterMs: 60_000, cleanupMs: 30_000,
    });
    const answers = await Promise.all(Array.from({ length: 100 }, () => c.lookup(e.number, 'integrations')));
    expect(answers.every((a) => a?.entry.integrations.uon === true)).toBe(true);
    expect(calls.one).toBe(1);
    expect((await c.lookup(e.number, 'integrations'))?.source).toBe('local');
    expect(c.stats().redis_errors).toBeGreaterThan(0);
  });
});

describe('config cache invalidation and refresh', () => {
  it('drops an entry from both tiers within a second of the enterprise changing (LISTEN/NOTIFY)', async () => {
    const e = await enterprise();
    const listening = await cache({ source: counted().source, listenUrl: config.databaseUrl });
    await listening.start();
    expect((await listening.lookup(e.number, 'integrations'))?.entry.integrations.uon).toBe(false);
    const before = Date.now();
    await setConfig(e.number, { uon: { enabled: true, api_key: 'new-key' } });
    await waitFor(async () => (await listening.lookup(e.number, 'integrations'))?.entry.integrations.uon === true, 'the change in the listening cache', 1000, 10);
    expect(Date.now() - before).toBeLessThan(1000);
    // Redis no longer holds the old settings either: a process without a listener reads the new ones.
    const other = await cache({ source: counted().source });
    expect((await other.lookup(e.number, 'config'))?.entry.configs.uon).toEqual({ enabled: true, api_key: 'new-key' });
    expect(listening.stats().invalidations).toBeGreaterThan(0);
  });

  it('invalidate() drops the entry here and tells every other process; an unknown enterprise is null', async () => {
    const e = await enterprise();
    const listener = await cache({ source: counted().source, listenUrl: config.databaseUrl });
    await listener.start();
    const admin = await cache({ source: counted().source, announce: pgAnnounce(db) });
    expect((await listener.lookup(e.number, 'integrations'))?.entry.integrations.uon).toBe(false);
    expect((await admin.lookup(e.number, 'integrations'))?.source).toBe('redis');
    // Written without a trigger firing, as a tool that bypassed it would: only invalidate() can tell.
    await db.transaction().execute(async (tx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(tx); // triggers off, this transaction only
      await tx.updateTable('enterprises').set({ integrations_config: JSON.stringify({ uon: { enabled: true, api_key: 'k' } }) }).where('number', '=', e.number).execute();
    });
    expect((await listener.lookup(e.number, 'integrations'))?.entry.integrations.uon).toBe(false);
    expect(await admin.invalidate(e.name)).toBe(e.number);
    expect((await admin.lookup(e.number, 'integrations'))?.entry.integrations.uon).toBe(true);
    await waitFor(async () => (await listener.lookup(e.number, 'integrations'))?.entry.integrations.uon === true, 'the other process to drop it', 1000, 10);
    expect(await admin.invalidate('no-such-enterprise-anywhere')).toBeNull();
  });

  it('picks up a change whose NOTIFY never arrived at the next full refresh', async () => {
    const e = await enterprise();
    const { calls, source } = counted();
    const deaf = await cache({ source, refreshMs: 300, refreshJitterMs: 100 }); // no listener: every notify is "lost"
    await deaf.start();
    expect((await deaf.lookup(e.number, 'integrations'))?.source).toBe('local');
    await setConfig(e.number, { uon: { enabled: true, api_key: 'k' } });
    await waitFor(async () => deaf.hitLocal(e.number, 'integrations')?.integrations.uon === true, 'the refresh to bring the change', 2000, 10);
    expect(calls.all).toBeGreaterThanOrEqual(2);
    expect(calls.one).toBe(0);
  });

  it('runs each full refresh at its jittered delay', async () => {
    const draws = [0, 0.99999, 0, 0.99999];
    const c = await cache({ source: counted().source, refreshMs: 400, refreshJitterMs: 200, random: () => draws.shift() ?? 0.5 }, uniquePrefix());
    const times: number[] = [];
    const watch = setInterval(() => {
      if (c.counters.refreshes > times.length) times.push(Date.now());
    }, 2);
    await c.start();
    await waitFor(async () => times.length >= 3, 'three refreshes', 3000, 5);
    clearInterval(watch);
    const [first, second] = [times[1]! - times[0]!, times[2]! - times[1]!];
    expect(first).toBeGreaterThanOrEqual(195); // 400 - 200
    expect(first).toBeLessThan(450);
    expect(second).toBeGreaterThanOrEqual(595); // 400 + 200
    expect(second).toBeLessThan(900);
  });

  it('drops expired entries from memory on the cleanup sweep, without being asked for them', async () => {
    await enterprise();
    const c = await cache({ source: counted().source, ttlMs: 200, cleanupMs: 100, refreshMs: 60_000, refreshJitterMs: 0 }, uniquePrefix());
    await c.start();
    expect(c.stats().cache_size).toBeGreaterThan(0);
    await waitFor(async () => c.stats().cache_size === 0, 'the sweep', 1000, 20);
  });

  it('reports integrations failing their schema in stats and treats them as disabled, and the refresh carries on', async () => {
    const e = await enterprise({ retailcrm: { enabled: true, domain: 'https://x.retailcrm.ru' }, ms: 'on', uon: { enabled: true, api_key: 'k' } });
    const c = await cache({ source: counted().source }, uniquePrefix());
    // The shared test database holds other tests' enterprises too: at least this one was read.
    expect((await c.refreshAll()).enterprises).toBeGreaterThanOrEqual(1);
    const found = await c.lookup(e.number, 'integrations');
    expect(found?.entry.integrations).toEqual({ retailcrm: false, ms: false, uon: true });
    const stats = c.stats();
    expect(stats.invalid_config_details).toEqual(expect.arrayContaining([
      { enterprise: e.number, integration: 'retailcrm', error: 'api_key is required when enabled' },
      { enterprise: e.number, integration: 'ms', error: '(config) must be object' },
    ]));
    expect(stats.invalid_configs).toBeGreaterThanOrEqual(2);
    expect(stats.refreshes).toBe(1);
  });
});
