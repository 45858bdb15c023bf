/**
 * For the MoySklad, U-ON and Bitrix24 adapter tests: the sandbox CRMs served on port 0, and a
 * CrmContext per action built the way the dispatch builds it — the shared executor (real Redis
 * limiter and breaker, attempts in integration_logs) and the per-call state in Redis.
 */
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { attemptSink, CrmBreaker, callStateKey, createCrmHttp, RedisCallState, type CrmAccount, type CrmAdapter, type CrmContext } from '@callpipe/crm';
import { mountMoreCrms, newMoreCrms } from '../../apps/sandbox/src/crm/moreCrms.js';
import { listen } from '../support/listen.js';
import { testConfig, testLogger, uniqueEnterprise } from '../support/testEnv.js';

export { rejection } from './rejection.js';

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

/**
 * For one adapter's test file: the sandbox CRMs served before its tests (`started` gets the base URL)
 * and closed after them; before each test, `fresh` gets a new enterprise number to set its account up for.
 */
export function serveCrmsPerTest(started: (base: string) => void, fresh: (enterprise: string) => void): void {
  let close = async (): Promise<void> => {};
  beforeAll(async () => {
    const s = await serveCrms();
    close = s.close;
    started(s.base);
  });
  afterAll(async () => close());
  beforeEach(() => fresh(uniqueEnterprise().number));
}

export function contextFor(adapter: CrmAdapter, account: CrmAccount, action: string, callRef = '1741165200.101'): CrmContext {
  const breaker = new CrmBreaker(redis, config.queuePrefix, { failureThreshold: 5, openMs: 500, maxOpenMs: 2000, probeLeaseMs: 1000 });
  const http = createCrmHttp(
    { redis, prefix: config.queuePrefix, breaker, sink: attemptSink(db, null), timeoutMs: 1500, limiterMaxWaitMs: 2000 },
    { adapter, account, action, callRefs: [callRef], attempt: 1, log },
  );
  return { account, http, state: new RedisCallState(redis, callStateKey(config.queuePrefix, account.enterprise, account.type, callRef)), log };
}
