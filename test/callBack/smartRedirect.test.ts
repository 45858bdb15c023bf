/**
 * Smart redirect against the sandbox RetailCRM (telephony/manager) and the sandbox AMI (Redirect): an
 * incoming call's caller is sent to the responsible manager's extension; a manager marked away is
 * left alone; a CRM slower than the hard timeout leaves the call to normal routing in about that
 * time; each call is decided once; every decision lands on the call's trace as an integration entry.
 */
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveManagerStatus } from '@callpipe/ami';
import { createConfigCache } from '@callpipe/config-cache';
import { createDb, createPool } from '@callpipe/db';
import { newEventJob, Producers, type CallLogIntegrationEntry, type EventJob } from '@callpipe/queues';
import { AmiSandbox } from '../../apps/sandbox/src/ami/index.js';
import { RETAILCRM_NO_FAULTS, RetailCrmSandbox, retailCrmApiRoutes } from '../../apps/sandbox/src/crm/retailcrm/index.js';
import { crmDispatchDeps } from '../../apps/workers/src/crm/deps.js';
import type { JobContext } from '../../apps/workers/src/processors/context.js';
import { smartRedirectStep } from '../../apps/workers/src/smartRedirect/smartRedirect.js';
import { smartRedirectDeps } from '../../apps/workers/src/smartRedirect/wiring.js';
import { FAST } from '../crm/crmHarness.js';
import { listen } from '../support/listen.js';
import { testConfig, testLogger, uniqueEnterprise } from '../support/testEnv.js';

const TIMEOUT_MS = 500;
const config = testConfig({ SMART_REDIRECT_TIMEOUT_MS: String(TIMEOUT_MS), AMI_CONNECT_TIMEOUT_MS: '1000' });
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 4, applicationName: 'smart-redirect-test' }));
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const cacheRedis = new Redis(config.redisUrl);
const producers = new Producers(redis, config.queuePrefix);
const crm = new RetailCrmSandbox();
const SECRET = 'smart-ami-secret';
const ami = new AmiSandbox({ username: 'crm', secret: SECRET, token: 'unused' });
const cache = createConfigCache({
  redis: cacheRedis, db, databaseUrl: config.databaseUrl, prefix: config.queuePrefix, log: testLogger(),
  ttlSeconds: 60, refreshSeconds: 240, refreshJitterSeconds: 60, cleanupSeconds: 30,
});
const ent = uniqueEnterprise();
const off = uniqueEnterprise();
const account = `sr${ent.number}`;
/** Customer phones: one whose manager (user 19, ext 150) is free, one whose manager (user 18, ext 151) goes away, one nobody owns. */
const OWNED = '375291110001';
const AWAY = '375291110002';
const NOBODY = '375291110003';
let closeCrm: () => Promise<void>;
let step: ReturnType<typeof smartRedirectStep>;
const ctx: JobContext = { db, log: testLogger(), producers };

beforeAll(async () => {
  const app = express();
  app.use(retailCrmApiRoutes(crm));
  const l = await listen(app);
  closeCrm = l.close;
  crm.setup({
    name: account, apiKey: 'smart-key',
    users: [{ id: 19, firstName: 'Иван', lastName: 'Петров', code: '150' }, { id: 18, firstName: 'Анна', lastName: 'Орлова', code: '151' }],
    customers: [
      { id: 1, firstName: 'A', lastName: 'One', phones: [{ number: `+${OWNED}` }], managerId: 19 },
      { id: 2, firstName: 'B', lastName: 'Two', phones: [{ number: `+${AWAY}` }], managerId: 18 },
    ],
  });
  const port = await ami.listen(0);
  const configs = (smart: boolean) => JSON.stringify({
    retailcrm: { enabled: true, domain: `${l.base}/retailcrm/${account}`, api_key: 'smart-key', user_extensions: { 19: '150', 18: '151' } },
    smart: { enabled: smart, primary: 'retailcrm' },
    ami: { enabled: true, host: '127.0.0.1', port, username: 'crm', secret: SECRET },
  });
  await db.insertInto('enterprises').values([
    { number: ent.number, name: ent.name, name2: ent.token, integrations_config: configs(true) },
    { number: off.number, name: off.name, name2: off.token, integrations_config: configs(false) },
  ]).execute();
  const deps = crmDispatchDeps(FAST, { redis, prefix: config.queuePrefix, cache, db, producers });
  step = smartRedirectStep(smartRedirectDeps(config, deps, cache, testLogger()));
});

afterAll(async () => {
  await cache.stop();
  await closeCrm();
  await ami.close();
  await producers.queue('callLog').obliterate({ force: true });
  await producers.close();
  redis.disconnect();
  cacheRedis.disconnect();
  await db.destroy();
});

let n = 0;
/** An incoming call's first event (start), with its own caller channel. */
function incoming(enterprise: string, token: string, phone: string, type: 'start' | 'dial' = 'start', uniqueId = `${1_764_000_000 + (n += 1)}.${n}`): EventJob {
  return newEventJob(type, {
    Token: token, UniqueId: uniqueId, Channel: `SIP/0001363-0000${n.toString(16).padStart(4, '0')}`, Phone: phone, CallerIDNum: phone,
    CallType: 0, Trunk: '0001363', ...(type === 'dial' ? { Extensions: ['152'] } : {}),
  }, enterprise, 'live', new Date());
}

const redirects = () => ami.records.filter((r) => r.action.toLowerCase() === 'redirect');
async function decisionOf(uniqueId: string): Promise<CallLogIntegrationEntry | undefined> {
  const jobs = await producers.queue('callLog').getJobs(['waiting', 'delayed', 'active', 'completed'], 0, 500);
  return jobs.map((j) => j.data).find((d): d is CallLogIntegrationEntry => d.kind === 'integration' && d.integration === 'smart_redirect' && d.callRef === uniqueId);
}

describe('smart redirect', () => {
  it('sends the caller to the responsible manager\'s extension (AMI Redirect of the caller\'s channel) and traces it', async () => {
    const job = incoming(ent.number, ent.token, OWNED);
    const before = redirects().length;
    await step(job, ctx);
    const sent = redirects().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.fields).toMatchObject({ channel: (job.body as { Channel: string }).Channel, exten: '150', context: 'inoffice', priority: '1' });
    const d = await decisionOf(String(job.body.UniqueId));
    expect(d).toMatchObject({ status: 'success', response: { decision: 'redirected', extension: '150', source: 'retailcrm' } });
  });

  it('decides once per call: the same event again, and the call\'s dial, redirect nothing more', async () => {
    const job = incoming(ent.number, ent.token, OWNED);
    await step(job, ctx);
    const after = redirects().length;
    await step(job, ctx);
    await step(incoming(ent.number, ent.token, OWNED, 'dial', String(job.body.UniqueId)), ctx);
    expect(redirects()).toHaveLength(after);
  });

  it('skips a manager marked away: normal routing, and the trace says why', async () => {
    await saveManagerStatus(redis, config.queuePrefix, ent.number, { status: 'break', userId: '18', extension: '151', at: new Date().toISOString() });
    const job = incoming(ent.number, ent.token, AWAY);
    const before = redirects().length;
    await step(job, ctx);
    expect(redirects()).toHaveLength(before);
    expect(await decisionOf(String(job.body.UniqueId))).toMatchObject({ status: 'fallback', response: { decision: 'fallback', reason: 'manager_away', extension: '151' } });
  });

  it('a customer nobody is responsible for: normal routing', async () => {
    const job = incoming(ent.number, ent.token, NOBODY);
    await step(job, ctx);
    expect(await decisionOf(String(job.body.UniqueId))).toMatchObject({ response: { reason: 'no_responsible' } });
  });

  it('a CRM slower than the hard timeout: normal routing within about the timeout, no redirect', async () => {
    crm.faults.set(account, { ...RETAILCRM_NO_FAULTS, delayMs: 4000 });
    try {
      // A number not asked before, so no cached answer hides the slow CRM.
      const job = incoming(ent.number, ent.token, '375291110009');
      const before = redirects().length;
      const t0 = Date.now();
      await step(job, ctx);
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(took).toBeLessThan(TIMEOUT_MS + 700);
      expect(redirects()).toHaveLength(before);
      expect(await decisionOf(String(job.body.UniqueId))).toMatchObject({ status: 'fallback', response: { reason: 'crm_timeout' } });
    } finally {
      crm.faults.delete(account);
    }
  });

  it('a PBX that refuses the Redirect: normal routing, the PBX\'s reason on the trace', async () => {
    ami.setMode('refuse');
    try {
      const job = incoming(ent.number, ent.token, OWNED);
      await step(job, ctx);
      const d = await decisionOf(String(job.body.UniqueId));
      expect(d).toMatchObject({ status: 'fallback', response: { reason: 'redirect_failed', extension: '150' } });
      expect(d?.error).toContain('Channel does not exist');
    } finally {
      ami.setMode('normal');
    }
  });

  it('does nothing for an enterprise without smart redirect, an outbound call or a later event', async () => {
    const before = redirects().length;
    const offJob = incoming(off.number, off.token, OWNED);
    await step(offJob, ctx);
    const outbound = newEventJob('dial', { Token: ent.token, UniqueId: '1764000999.1', Channel: 'SIP/150-1', Phone: OWNED, CallType: 1, Extensions: ['150'] }, ent.number, 'live', new Date());
    await step(outbound, ctx);
    const bridge = newEventJob('bridge', { Token: ent.token, UniqueId: '1764000998.1', Channel: 'SIP/0001363-1', CallerIDNum: OWNED }, ent.number, 'live', new Date());
    await step(bridge, ctx);
    expect(redirects()).toHaveLength(before);
    expect(await decisionOf(String(offJob.body.UniqueId))).toBeUndefined();
  });
});
