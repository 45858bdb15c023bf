/**
 * Managers' availability as the CRM reports it (RetailCRM's changeUserStatusUrl: free, busy,
 * dinner, break), kept in Redis per enterprise under the CRM user id and the extension, so smart
 * redirect (and call-back) can leave a manager who is away alone. Statuses expire after a day: a
 * status never updated again is not trusted forever.
 */
import type { Redis } from 'ioredis';

export interface ManagerStatus {
  status: string;
  userId: string | null;
  extension: string | null;
  /** ISO time it was reported. */
  at: string;
}

/** RetailCRM's statuses in which a manager is not to be rung (only `free` takes calls). */
export const AWAY_STATUSES: ReadonlySet<string> = new Set(['busy', 'dinner', 'lunch', 'break', 'away', 'offline']);

const TTL_SECONDS = 24 * 3600;

export const managerStatusKey = (prefix: string, enterprise: string): string => `${prefix}:manager-status:${enterprise}`;

export async function saveManagerStatus(redis: Redis, prefix: string, enterprise: string, s: ManagerStatus): Promise<void> {
  const key = managerStatusKey(prefix, enterprise);
  const value = JSON.stringify(s);
  const fields: string[] = [];
  if (s.userId) fields.push(`user:${s.userId}`, value);
  if (s.extension) fields.push(`ext:${s.extension}`, value);
  if (!fields.length) return;
  await redis.multi().hset(key, ...fields).expire(key, TTL_SECONDS).exec();
}

/** The last status reported for an extension (or a CRM user id), or null when none is known. */
export async function managerStatusOf(redis: Redis, prefix: string, enterprise: string, who: { extension?: string; userId?: string }): Promise<ManagerStatus | null> {
  const field = who.extension ? `ext:${who.extension}` : who.userId ? `user:${who.userId}` : null;
  if (!field) return null;
  const raw = await redis.hget(managerStatusKey(prefix, enterprise), field);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as ManagerStatus;
  } catch {
    return null;
  }
}

export function isAway(s: ManagerStatus | null): boolean {
  return s !== null && AWAY_STATUSES.has(s.status.toLowerCase());
}
