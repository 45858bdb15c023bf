/**
 * For the MoySklad, U-ON and Bitrix24 adapter tests: the sandbox CRMs served on port 0, and a
 * CrmContext per action built the way the dispatch builds it — the shared executor (real Redis
 * limiter and breaker, attempts in integration_logs) and the per-call state in Redis.
 */
import express from 'express';
import { Redis } from 'ioredis';
import { createDb, createPool } from '@callpipe/db';
import { attemptSink, CrmBreaker, callStateKey, createCrmHttp, CrmRequestError, RedisCallState, type CrmAccount, type CrmAdapter, type CrmContext } from '@callpipe/crm';
import { mountMoreCrms, newMoreCrms } from '../../apps/sandbox/src/crm/moreCrms.js';
import { listen } from '../support/listen.js';
import { testConfig, testLogger } from '../support/testEnv.js';

export const config = testConfig();
export const redis = new Redis(config.redisUrl);
export const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'crm-adapters-test' }));
export const crms = newMoreCrms();
const log = testLogger();

export async function serveCrms(): Promise<{ base: string; close: () => Promise<void> }> {
  const app = express();
  mountMoreCrms(app, crms);
  const l = await listen(app);
  return {
    base: l.base,
    close: async () => {
      await l.close();
      await redis.quit();
      await db.destroy();
    },
  };
}

export function contextFor(adapter: CrmAdapter, account: CrmAccount, action: string, callRef = '1741165200.101'): CrmContext {
  const breaker = new CrmBreaker(redis, config.queuePrefix, { failureThreshold: 5, openMs: 500, maxOpenMs: 2000, probeLeaseMs: 1000 });
  const http = createCrmHttp(
    { redis, prefix: config.queuePrefix, breaker, sink: attemptSink(db, null), timeoutMs: 1500, limiterMaxWaitMs: 2000 },
    { adapter, account, action, callRefs: [callRef], attempt: 1, log },
  );
  return { account, http, state: new RedisCallState(redis, callStateKey(config.queuePrefix, account.enterprise, account.type, callRef)), log };
}

export async function rejection(p: Promise<unknown>): Promise<CrmRequestError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CrmRequestError) return err;
    throw err;
  }
  throw new Error('expected a CrmRequestError');
}
