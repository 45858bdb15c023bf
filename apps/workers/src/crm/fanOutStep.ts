/**
 * The CRMs' step after the call log applied an event: the crm-dispatch jobs of this call for every
 * enabled CRM with an adapter (plan.ts decides which). Enabled integrations come from the config cache.
 * Deterministic job ids make a re-applied or resent event add nothing. A record that took in pieces
 * of the call stored before under other callRefs (latestFacts.ts) also queues their closes.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { CRM_BACKOFF_TYPE, type Producers } from '@callpipe/queues';
import type { Logger } from '@callpipe/logging';
import type { CrmDispatchDeps } from './deps.js';
import { markCloseQueued, storeLatestFacts } from './latestFacts.js';
import { isExternal, planClose, planCrmJobs } from './plan.js';

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
  const stored = await storeLatestFacts(deps.redis, deps.prefix, call.enterprise, facts);
  if (stored.kind === 'joined') {
    // A late step of a record that is part of an older call by now: that call's jobs speak for it.
    log.debug({ callId: facts.callRef, into: stored.into }, 'crm: record joined to another call, nothing planned');
    return 0;
  }
  const now = new Date();
  const planned = [
    ...planCrmJobs({ enterprise: call.enterprise, callId: call.callId, facts }, integrations, { historyDelayMs: deps.historyDelayMs, popupWaitMs: deps.popupWaitMs, now }),
    ...stored.joined.flatMap((piece) => planClose({ enterprise: call.enterprise, callId: call.callId }, piece, integrations, now)),
  ];
  if (planned.length === 0) return 0;
  await producers.addBulk('crmDispatch', planned.map((p) => ({
    name: p.data.action,
    data: p.data,
    opts: { jobId: p.jobId, backoff: { type: CRM_BACKOFF_TYPE, delay: deps.backoffBaseMs }, ...(p.delayMs > 0 ? { delay: p.delayMs } : {}) },
  })));
  await markCloseQueued(deps.redis, deps.prefix, call.enterprise, stored.joined.map((p) => p.callRef));
  if (stored.joined.length > 0) log.info({ callId: facts.callRef, joined: stored.joined.map((p) => p.callRef) }, 'crm: pieces joined to this call get their close');
  log.debug({ callId: facts.callRef, jobs: planned.map((p) => p.jobId) }, 'crm-dispatch jobs queued');
  return planned.length;
}
