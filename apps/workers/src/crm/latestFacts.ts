/**
 * The freshest facts of a call for the CRMs, kept in Redis by the fan-out: a job made at the hangup
 * may run after a late bridge was applied, and history should carry what the record says by then.
 * A write lands only when it has at least as many events as the one stored (arrival order is free).
 *
 * The same hash remembers which callRefs stopped naming a call of their own: a record whose first
 * channel was a consultation's (rooted.ts in libs/callFacts) or a piece of a call that arrived before
 * its opening, once events join it to an older call. Every other UniqueId of a stored record is marked
 * `into` that record's callRef, so
 * - a stale fan-out of the piece (its own after-entry step running after the join) stores and plans nothing;
 * - popups of the piece still waiting see it and send nothing (runJob.ts);
 * - the pieces that had facts stored (and so may have a popup out) come back once, for their close.
 */
import type { Redis } from 'ioredis';
import type { CallFacts } from '@callpipe/call-facts';
import { factsFromJson, factsToJson, type CallFactsJson } from '@callpipe/queues';

const TTL_SECONDS = 3 * 24 * 3600;

// KEYS[1]: this record's hash; KEYS[2..]: the hashes of its other UniqueIds. ARGV: n, facts, ttl, callRef.
// Returns {0, into} when this callRef was joined to another call already, else {1, facts of pieces to close...}.
const STORE_LUA = `
local into = redis.call('HGET', KEYS[1], 'into')
if into then return {0, into} end
local cur = redis.call('HGET', KEYS[1], 'n')
if not cur or tonumber(cur) <= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'n', ARGV[1], 'facts', ARGV[2])
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
local out = {1}
for i = 2, #KEYS do
  local was = redis.call('HGET', KEYS[i], 'into')
  if was ~= ARGV[4] then
    redis.call('HSET', KEYS[i], 'into', ARGV[4])
    redis.call('EXPIRE', KEYS[i], tonumber(ARGV[3]))
  end
  if redis.call('HEXISTS', KEYS[i], 'closeQueued') == 0 then
    local f = redis.call('HGET', KEYS[i], 'facts')
    if f then table.insert(out, f) end
  end
end
return out`;

const keyOf = (prefix: string, enterprise: string, callRef: string) => `${prefix}:crm:facts:${enterprise}:${callRef}`;

export type StoreOutcome =
  | { kind: 'stored'; joined: CallFacts[] }
  /** This callRef is part of another call now (`into`): nothing is planned under it. */
  | { kind: 'joined'; into: string };

/** Stores the facts, marks the record's other UniqueIds as part of it, and returns the pieces joined to it that still need a close. */
export async function storeLatestFacts(redis: Redis, prefix: string, enterprise: string, facts: CallFacts): Promise<StoreOutcome> {
  const others = facts.uniqueIds.filter((u) => u !== facts.callRef);
  const res = await redis.eval(
    STORE_LUA, 1 + others.length, keyOf(prefix, enterprise, facts.callRef), ...others.map((u) => keyOf(prefix, enterprise, u)),
    String(facts.eventCount), JSON.stringify(factsToJson(facts)), String(TTL_SECONDS), facts.callRef,
  ) as [number, ...string[]];
  if (res[0] === 0) return { kind: 'joined', into: String(res[1]) };
  const joined: CallFacts[] = [];
  for (const raw of res.slice(1)) {
    try {
      joined.push(factsFromJson(JSON.parse(raw as string) as CallFactsJson));
    } catch {
      // An unreadable piece has nothing a close could name.
    }
  }
  return { kind: 'stored', joined };
}

/** After their close jobs were queued: the pieces are not handed back again. */
export async function markCloseQueued(redis: Redis, prefix: string, enterprise: string, callRefs: readonly string[]): Promise<void> {
  if (callRefs.length === 0) return;
  const m = redis.multi();
  for (const ref of callRefs) m.hset(keyOf(prefix, enterprise, ref), 'closeQueued', '1');
  await m.exec();
}

/** The callRef of the call this one was joined to, or null while it is a call of its own. */
export async function joinedInto(redis: Redis, prefix: string, enterprise: string, callRef: string): Promise<string | null> {
  return redis.hget(keyOf(prefix, enterprise, callRef), 'into');
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
