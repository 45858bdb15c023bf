/**
 * The active-enterprise token set in Redis (Token -> enterprise number), shared by every process.
 * Workers write it from PostgreSQL; ingest reads it into memory and re-reads on change. A marker key
 * says the set was published, so a missing set (never written, or keys lost) reads as "not published"
 * rather than "no tokens".
 */
import type { Redis } from 'ioredis';
import { redisKeys } from './keys.js';

export type TokenMap = ReadonlyMap<string, string>;

export class TokenStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  /** The published set, or null when the workers have not published one (under this prefix, since Redis lost its keys). */
  async read(): Promise<TokenMap | null> {
    const results = await this.redis.multi()
      .get(redisKeys.tokensPublished(this.prefix))
      .hgetall(redisKeys.tokens(this.prefix))
      .exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('token set read aborted');
    if (results[0]![1] === null) return null;
    return new Map(Object.entries(results[1]![1] as Record<string, string>));
  }

  /** Whether a published set is present (cheap: the workers check it often to republish a lost set). */
  async isPublished(): Promise<boolean> {
    return (await this.redis.exists(redisKeys.tokensPublished(this.prefix))) === 1;
  }

  /** Replaces the whole set atomically (readers never see it half-written), marks it published, then tells subscribers. */
  async replace(tokens: TokenMap): Promise<void> {
    const key = redisKeys.tokens(this.prefix);
    const tmp = `${key}:next`;
    const multi = this.redis.multi().del(tmp);
    if (tokens.size) multi.hset(tmp, Object.fromEntries(tokens)).rename(tmp, key);
    else multi.del(key);
    multi.set(redisKeys.tokensPublished(this.prefix), JSON.stringify({ at: new Date().toISOString(), count: tokens.size }));
    multi.publish(redisKeys.tokensChanged(this.prefix), String(tokens.size));
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  channel(): string {
    return redisKeys.tokensChanged(this.prefix);
  }
}
