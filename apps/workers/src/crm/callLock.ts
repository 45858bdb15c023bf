/**
 * One action at a time per (enterprise, integration, call), across processes: a popup and the hangup
 * of one call never run side by side, so "closed" is decided before any later popup looks at it.
 * A lock left by a killed worker lapses after its ttl.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export async function withCallLock<T>(
  redis: Redis, key: string, ttlMs: number, work: () => Promise<T>,
): Promise<{ locked: true; value: T } | { locked: false }> {
  const token = randomUUID();
  const got = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (got !== 'OK') return { locked: false };
  try {
    return { locked: true, value: await work() };
  } finally {
    await redis.eval(RELEASE_LUA, 1, key, token).catch(() => undefined);
  }
}

export const callLockKey = (prefix: string, enterprise: string, integration: string, callRef: string) =>
  `${prefix}:crm:lock:${enterprise}:${integration}:${callRef}`;
