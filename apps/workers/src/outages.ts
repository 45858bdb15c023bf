/**
 * The workers' dependency outages (PostgreSQL, Redis): every connection error of a pool, a listener,
 * a Redis client or a failed job is reported here instead of being logged on its own line.
 */
import { isPgConnectionError } from '@callpipe/db';
import { Outage, type Logger } from '@callpipe/logging';
import { isRedisConnectionError } from '@callpipe/queues';

export interface Outages {
  postgresql: Outage;
  redis: Outage;
}

export function createOutages(log: Logger, remindEveryMs: number): Outages {
  return { postgresql: new Outage('postgresql', log, { remindEveryMs }), redis: new Outage('redis', log, { remindEveryMs }) };
}

/** Reports a connection error to its dependency's outage; false when err is not one (a bug, bad data, a third party). */
export function reportDependencyError(outages: Outages, err: unknown): boolean {
  // PostgreSQL first: a raw socket error in a job comes from pg (Redis commands wait out an outage in workers).
  if (isPgConnectionError(err)) {
    outages.postgresql.down(err);
    return true;
  }
  if (isRedisConnectionError(err)) {
    outages.redis.down(err);
    return true;
  }
  return false;
}

/** Names of the dependencies down now, with their outage state (health answers). */
export function downList(outages: Outages): Record<string, ReturnType<Outage['state']>> {
  const out: Record<string, ReturnType<Outage['state']>> = {};
  for (const o of Object.values(outages) as Outage[]) if (!o.isUp()) out[o.dependency] = o.state();
  return out;
}
