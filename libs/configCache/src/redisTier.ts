/**
 * The Redis tier, shared by every process: one JSON entry per enterprise number with the entry's
 * TTL (PX), alias keys (host token, lower-case name -> number) with the same TTL, a short-lived
 * "no such enterprise" mark, and a per-identifier load lock (SET NX PX) so that processes missing
 * together make one PostgreSQL query between them.
 */
import { randomBytes } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import { entryMatches, type EnterpriseEntry } from './entry.js';

export type RedisRead = { entry: EnterpriseEntry } | { missing: true } | null;

// Deletes the lock only if it is still ours (it may have expired and been taken by another process).
const UNLOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function cacheKeys(prefix: string) {
  return {
    entry: (number: string) => `${prefix}:cfg:ent:${number}`,
    alias: (id: string, kind: 't' | 'n') => `${prefix}:cfg:alias:${kind}:${kind === 'n' ? id.toLowerCase() : id}`,
    lock: (id: string) => `${prefix}:cfg:lock:${id}`,
    /** Hash: identifier -> epoch ms until which it is known not to exist. Dropped on any change. */
    missing: `${prefix}:cfg:missing`,
  };
}

async function run(chain: ChainableCommander): Promise<(string | null)[]> {
  const replies = (await chain.exec()) ?? [];
  const failed = replies.find(([err]) => err);
  if (failed) throw failed[0] as Error;
  return replies.map(([, v]) => v as string | null);
}

function parse(json: string | null, id: string, now: number): EnterpriseEntry | null {
  if (!json) return null;
  try {
    const entry = JSON.parse(json) as EnterpriseEntry;
    return entry.expiresAt > now && entryMatches(entry, id) ? entry : null;
  } catch {
    return null;
  }
}

export class RedisTier {
  private readonly keys: ReturnType<typeof cacheKeys>;

  constructor(private readonly redis: Redis, prefix: string, private readonly missingTtlMs: number) {
    this.keys = cacheKeys(prefix);
  }

  /** One round trip for a number, two when the identifier is a token or a name. */
  async read(id: string, now: number): Promise<RedisRead> {
    const k = this.keys;
    const [direct, byToken, byName, missingUntil] = await run(this.redis.pipeline()
      .get(k.entry(id)).get(k.alias(id, 't')).get(k.alias(id, 'n')).hget(k.missing, id));
    const entry = parse(direct ?? null, id, now);
    if (entry) return { entry };
    const number = byToken ?? byName;
    if (number) {
      const viaAlias = parse(await this.redis.get(k.entry(number)), id, now);
      if (viaAlias) return { entry: viaAlias };
    }
    if (missingUntil && Number(missingUntil) > now) return { missing: true };
    return null;
  }

  async write(entries: readonly EnterpriseEntry[], now: number): Promise<void> {
    const k = this.keys;
    const multi = this.redis.multi();
    for (const e of entries) {
      const px = e.expiresAt - now;
      if (px <= 0) continue;
      multi.set(k.entry(e.number), JSON.stringify(e), 'PX', px);
      if (e.token) multi.set(k.alias(e.token, 't'), e.number, 'PX', px);
      multi.set(k.alias(e.name, 'n'), e.number, 'PX', px);
    }
    await run(multi);
  }

  async markMissing(id: string, now: number): Promise<void> {
    await run(this.redis.multi().hset(this.keys.missing, id, String(now + this.missingTtlMs)).pexpire(this.keys.missing, this.missingTtlMs));
  }

  /** Drops an enterprise's entry and every "missing" mark (a change may create what was missing). */
  async drop(number: string): Promise<void> {
    await this.redis.del(this.keys.entry(number), this.keys.missing);
  }

  /** The lock's token when taken, null when another process holds it. */
  async tryLock(id: string, ttlMs: number): Promise<string | null> {
    const token = randomBytes(8).toString('hex');
    const ok = await this.redis.set(this.keys.lock(id), token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? token : null;
  }

  async unlock(id: string, token: string): Promise<void> {
    await this.redis.eval(UNLOCK, 1, this.keys.lock(id), token);
  }

  async isLocked(id: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.lock(id))) === 1;
  }
}
