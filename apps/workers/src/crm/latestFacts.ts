/**
 * The freshest facts of a call for the CRMs, kept in Redis by the fan-out: a job made at the hangup
 * may run after a late bridge was applied, and history should carry what the record says by then.
 * A write lands only when it has at least as many events as the one stored (arrival order is free).
 */
import type { Redis } from 'ioredis';
import type { CallFacts } from '@callpipe/call-facts';
import { factsFromJson, factsToJson, type CallFactsJson } from '@callpipe/queues';

const TTL_SECONDS = 3 * 24 * 3600;

const STORE_LUA = `
local cur = redis.call('HGET', KEYS[1], 'n')
if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'n', ARGV[1], 'facts', ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`;

const keyOf = (prefix: string, enterprise: string, callRef: string) => `${prefix}:crm:facts:${enterprise}:${callRef}`;

export async function storeLatestFacts(redis: Redis, prefix: string, enterprise: string, facts: CallFacts): Promise<void> {
  await redis.eval(STORE_LUA, 1, keyOf(prefix, enterprise, facts.callRef), String(facts.eventCount), JSON.stringify(factsToJson(facts)), String(TTL_SECONDS));
}

/** The stored facts when they hold more events than the job's own, else the job's. */
export async function freshestFacts(redis: Redis, prefix: string, enterprise: string, fromJob: CallFacts): Promise<CallFacts> {
  const stored = await redis.hget(keyOf(prefix, enterprise, fromJob.callRef), 'facts');
  if (!stored) return fromJob;
  try {
    const f = factsFromJson(JSON.parse(stored) as CallFactsJson);
    return f.eventCount > fromJob.eventCount ? f : fromJob;
  } catch {
    return fromJob;
  }
}
