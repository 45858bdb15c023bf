/** Refuses to start unless processors match the catalogue and Redis and PostgreSQL answer; says which failed. */
import { sql, type Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '@callpipe/db';
import { checkProcessors } from './processors/registry.js';

export async function bootChecks(table: Record<string, unknown>, redis: Redis, db: Kysely<Database>): Promise<string[]> {
  const problems = checkProcessors(table);
  const timeout = <T>(p: Promise<T>, what: string) => Promise.race([
    p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what} did not answer within 5 s`)), 5000).unref()),
  ]);
  try {
    await timeout(redis.ping(), 'redis');
  } catch (err) {
    problems.push(`redis: ${(err as Error).message}`);
  }
  try {
    await timeout(sql`SELECT 1 FROM call_events LIMIT 0`.execute(db), 'postgresql');
  } catch (err) {
    problems.push(`postgresql: ${(err as Error).message} (is DATABASE_URL right and migrated? npm run migrate)`);
  }
  return problems;
}
