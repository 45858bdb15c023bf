/**
 * Per-(enterprise, integration, call) memory in Redis: what the dispatch already sent (managers shown,
 * closed, history) and what an adapter keeps across actions and retries (the CRM's own call id). One
 * hash per call, kept long enough to outlast a CRM that was down for a day.
 */
import type { Redis } from 'ioredis';
import type { CrmCallState } from '../adapter.js';

export const CALL_STATE_TTL_SECONDS = 3 * 24 * 3600;

export function callStateKey(prefix: string, enterprise: string, integration: string, callRef: string): string {
  return `${prefix}:crm:call:${enterprise}:${integration}:${callRef}`;
}

export class RedisCallState implements CrmCallState {
  constructor(private readonly redis: Redis, readonly key: string) {}

  get(key: string): Promise<string | null> {
    return this.redis.hget(this.key, key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.redis.multi().hset(this.key, key, value).expire(this.key, CALL_STATE_TTL_SECONDS).exec();
  }

  async all(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.key);
  }

  /** Sets several fields at once (one round trip). */
  async setMany(fields: Readonly<Record<string, string>>): Promise<void> {
    if (Object.keys(fields).length === 0) return;
    await this.redis.multi().hset(this.key, fields).expire(this.key, CALL_STATE_TTL_SECONDS).exec();
  }
}
