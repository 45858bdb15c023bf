/**
 * The CRMs' step after the call log applied an event: the crm-dispatch jobs of this call for every
 * enabled CRM with an adapter (plan.ts decides which). Enabled integrations come from the config cache.
 * Deterministic job ids make a re-applied or resent event add nothing.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { CRM_BACKOFF_TYPE, type Producers } from '@callpipe/queues';
import type { Logger } from '@callpipe/logging';
import type { CrmDispatchDeps } from './deps.js';
import { storeLatestFacts } from './latestFacts.js';
import { isExternal, planCrmJobs } from './plan.js';

/** What the step reads of an applied call (A1's AppliedCall has at least these). */
export interface AppliedCallForCrm {
  enterprise: string;
  callId: string;
  facts: CallFacts | null;
}

export async function enabledCrms(deps: Pick<CrmDispatchDeps, 'cache' | 'adapterFor'>, enterprise: string): Promise<string[]> {
  const found = await deps.cache.lookup(enterprise, 'integrations');
  if (!found) return [];
  return Object.entries(found.entry.integrations).filter(([type, on]) => on && deps.adapterFor(type) !== undefined).map(([type]) => type);
}

export async function enqueueCrmJobs(deps: CrmDispatchDeps, producers: Producers, call: AppliedCallForCrm, log: Logger): Promise<number> {
  const facts = call.facts;
  if (!facts || !isExternal(facts)) return 0;
  const integrations = await enabledCrms(deps, call.enterprise);
  if (integrations.length === 0) return 0;
  await storeLatestFacts(deps.redis, deps.prefix, call.enterprise, facts);
  const planned = planCrmJobs({ enterprise: call.enterprise, callId: call.callId, facts }, integrations, { historyDelayMs: deps.historyDelayMs, now: new Date() });
  if (planned.length === 0) return 0;
  await producers.addBulk('crmDispatch', planned.map((p) => ({
    name: p.data.action,
    data: p.data,
    opts: { jobId: p.jobId, backoff: { type: CRM_BACKOFF_TYPE, delay: deps.backoffBaseMs }, ...(p.delayMs > 0 ? { delay: p.delayMs } : {}) },
  })));
  log.debug({ callId: facts.callRef, jobs: planned.map((p) => p.jobId) }, 'crm-dispatch jobs queued');
  return planned.length;
}
