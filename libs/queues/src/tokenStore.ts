/**
 * The active-enterprise token set in Redis (Token -> enterprise number), shared by every process.
 * Workers write it from PostgreSQL; ingest reads it into memory and re-reads on change.
 */
import type { Redis } from 'ioredis';
import { redisKeys } from './keys.js';

export type TokenMap = ReadonlyMap<string, string>;

export class TokenStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async read(): Promise<TokenMap> {
    const all = await this.redis.hgetall(redisKeys.tokens(this.prefix));
    return new Map(Object.entries(all));
  }

  /** Replaces the whole set atomically (readers never see it half-written), then tells subscribers. */
  async replace(tokens: TokenMap): Promise<void> {
    const key = redisKeys.tokens(this.prefix);
    const tmp = `${key}:next`;
    const multi = this.redis.multi().del(tmp);
    if (tokens.size) multi.hset(tmp, Object.fromEntries(tokens)).rename(tmp, key);
    else multi.del(key);
    multi.publish(redisKeys.tokensChanged(this.prefix), String(tokens.size));
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  channel(): string {
    return redisKeys.tokensChanged(this.prefix);
  }
}
