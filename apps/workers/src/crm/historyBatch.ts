/**
 * History of many calls in one request, for CRMs that take it (RetailCRM calls/upload: 50 a request).
 * Each history job puts its call into the account's pending set; whoever holds the account's batch
 * lock waits a moment for more (historyGatherMs), sends up to `max` pending calls at once and marks
 * each delivered. A job whose call went out in
 * someone else's batch completes without a request; one that finds the lock held waits briefly
 * (without spending an attempt). A failed batch leaves its calls pending for their own jobs' retries.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CallFacts } from '@callpipe/call-facts';
import { callStateKey, createCrmHttp, RedisCallState, type CrmAccount, type CrmAdapter } from '@callpipe/crm';
import type { Logger } from '@callpipe/logging';
import { factsFromJson, factsToJson, type CallFactsJson } from '@callpipe/queues';
import { CallRecordState } from './adapterState.js';
import type { CrmDispatchDeps } from './deps.js';

const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const PENDING_TTL_SECONDS = 3 * 24 * 3600;

const pendingKey = (prefix: string, a: CrmAccount) => `${prefix}:crm:history-pending:${a.enterprise}:${a.type}`;
const lockKey = (prefix: string, a: CrmAccount) => `${prefix}:crm:history-lock:${a.enterprise}:${a.type}`;

export type BatchOutcome = { kind: 'sent'; calls: number } | { kind: 'in-other-batch' } | { kind: 'busy' };

async function pendingCalls(redis: Redis, key: string, own: CallFacts, max: number): Promise<CallFacts[]> {
  const out: CallFacts[] = [own];
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', max * 2);
    cursor = next;
    for (let i = 0; i + 1 < flat.length && out.length < max; i += 2) {
      if (flat[i] === own.callRef) continue;
      try {
        out.push(factsFromJson(JSON.parse(flat[i + 1]!) as CallFactsJson));
      } catch {
        await redis.hdel(key, flat[i]!);
      }
    }
  } while (cursor !== '0' && out.length < max);
  return out;
}

/** Runs the batch step for one job's call; 'busy' when another process holds the account's batch. */
export async function sendHistoryBatched(
  deps: CrmDispatchDeps, adapter: CrmAdapter & { historyBatch: NonNullable<CrmAdapter['historyBatch']> },
  account: CrmAccount, facts: CallFacts, attempt: number, log: Logger,
): Promise<BatchOutcome> {
  const { redis, prefix } = deps;
  const stateOf = (callRef: string) => new CallRecordState(new RedisCallState(redis, callStateKey(prefix, account.enterprise, account.type, callRef)));
  const pKey = pendingKey(prefix, account);
  await redis.multi().hset(pKey, facts.callRef, JSON.stringify(factsToJson(facts))).expire(pKey, PENDING_TTL_SECONDS).exec();

  const token = randomUUID();
  if ((await redis.set(lockKey(prefix, account), token, 'PX', deps.lockMs, 'NX')) !== 'OK') {
    if ((await stateOf(facts.callRef).sent()).history) return { kind: 'in-other-batch' };
    return { kind: 'busy' };
  }
  try {
    // Our own call may have gone out in the batch that just released the lock.
    if ((await stateOf(facts.callRef).sent()).history) {
      await redis.hdel(pKey, facts.callRef);
      return { kind: 'in-other-batch' };
    }
    // Calls ending together reach here a few ms apart: a short wait lets one request carry them all.
    if ((await redis.hlen(pKey)) < adapter.historyBatch.max) await new Promise((r) => setTimeout(r, deps.historyGatherMs));
    const candidates = await pendingCalls(redis, pKey, facts, adapter.historyBatch.max);
    const batch: CallFacts[] = [];
    for (const c of candidates) {
      if ((await stateOf(c.callRef).sent()).history) await redis.hdel(pKey, c.callRef);
      else batch.push(c);
    }
    const http = createCrmHttp(deps.http, { adapter, account, action: 'history', callRefs: batch.map((c) => c.callRef), attempt, log });
    await adapter.historyBatch.send(batch, { account, http, state: stateOf(facts.callRef).forAdapter(), log });
    for (const c of batch) await stateOf(c.callRef).markHistory();
    await redis.hdel(pKey, ...batch.map((c) => c.callRef));
    if (batch.length > 1) log.info({ calls: batch.length }, 'CRM history sent as one batch');
    return { kind: 'sent', calls: batch.length };
  } finally {
    await redis.eval(RELEASE_LUA, 1, lockKey(prefix, account), token).catch(() => undefined);
  }
}
