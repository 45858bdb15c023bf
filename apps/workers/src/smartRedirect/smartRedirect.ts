/**
 * Smart redirect (integrations_config.smart.enabled): an incoming call's caller is moved by AMI
 * Redirect to the extension of the manager the primary CRM names as responsible for the number — once
 * per call (a Redis key decides; redeliveries and the call's later start/dial do nothing), within a
 * hard timeout on the CRM (a slow CRM leaves the call to the normal routing, so the caller never waits
 * on it), never to a manager marked away (RetailCRM's changeUserStatusUrl). Every decision is one
 * `integration` entry on the call's trace (integration "smart_redirect") and one log line.
 * A step of the events fan-out: it runs on the event itself, before the call log, as early as possible.
 */
import type { Redis } from 'ioredis';
import { AmiError, amiSettingsOf, isAway, managerStatusOf, redirectChannel } from '@callpipe/ami';
import type { ConfigCache } from '@callpipe/config-cache';
import type { CrmLookups, LookupEnterprise } from '@callpipe/crm';
import type { CallLogIntegrationEntry } from '@callpipe/queues';
import type { FanOutStep } from '../processors/events.js';
import type { JobContext } from '../processors/context.js';
import { redirectCandidate, type RedirectCandidate } from './candidate.js';

export interface SmartRedirectDeps {
  redis: Redis;
  prefix: string;
  cache: Pick<ConfigCache, 'lookup'>;
  /** Lookups through the primary CRM whose own timeout is `crmTimeoutMs`. */
  lookups: Pick<CrmLookups, 'responsibleExtension' | 'primaryOf'>;
  crmTimeoutMs: number;
  /** Bound of the AMI Redirect (connect, login and the action). */
  amiTimeoutMs: number;
}

/** What was decided, as the trace shows it. */
export type RedirectDecision =
  | { decision: 'redirected'; extension: string; source: string }
  | { decision: 'fallback'; reason: 'no_ami' | 'no_primary_crm' | 'crm_timeout' | 'crm_failed' | 'no_responsible' | 'manager_away' | 'already_ringing' | 'redirect_failed'; detail?: string; extension?: string };

const DECIDED_TTL_SECONDS = 6 * 3600;

export function smartRedirectStep(d: SmartRedirectDeps): FanOutStep {
  return async (job, ctx) => {
    const cand = redirectCandidate(job);
    if (!cand) return;
    const found = await d.cache.lookup(job.enterprise, 'integrations');
    const smart = found?.entry.configs.smart;
    if (!found || smart?.enabled !== true) return;
    // Decide once per call: the start and the dial of one call, and every redelivery, find the key taken.
    const key = `${d.prefix}:smart:decided:${job.enterprise}:${cand.uniqueId}`;
    if ((await d.redis.set(key, new Date().toISOString(), 'EX', DECIDED_TTL_SECONDS, 'NX')) !== 'OK') return;
    const started = Date.now();
    const decision = await decide(d, found.entry, cand);
    await record(ctx, job.enterprise, cand, decision, Date.now() - started);
  };
}

async function decide(d: SmartRedirectDeps, e: LookupEnterprise, cand: RedirectCandidate): Promise<RedirectDecision> {
  const settings = amiSettingsOf(e.configs as Record<string, Record<string, unknown>>);
  if (!settings) return { decision: 'fallback', reason: 'no_ami' };
  const primary = d.lookups.primaryOf(e);
  if (!primary) return { decision: 'fallback', reason: 'no_primary_crm' };
  const t0 = Date.now();
  const answer = await d.lookups.responsibleExtension(e, cand.phone);
  if (!answer) {
    // CrmLookups answers null for a timeout and a failure alike; the clock tells them apart.
    const timedOut = Date.now() - t0 >= d.crmTimeoutMs - 5;
    return { decision: 'fallback', reason: timedOut ? 'crm_timeout' : 'crm_failed', detail: `${primary.type} ${timedOut ? `did not answer within ${d.crmTimeoutMs} ms` : 'lookup failed'}` };
  }
  const extension = answer.value;
  if (!extension) return { decision: 'fallback', reason: 'no_responsible', detail: `${answer.source} names no manager for this number` };
  const status = await managerStatusOf(d.redis, d.prefix, e.number, { extension });
  if (isAway(status)) return { decision: 'fallback', reason: 'manager_away', extension, detail: `status ${status!.status} since ${status!.at}` };
  if (cand.ringing.length === 1 && cand.ringing[0] === extension) return { decision: 'fallback', reason: 'already_ringing', extension };
  try {
    await redirectChannel(settings, { channel: cand.channel, extension }, d.amiTimeoutMs);
    return { decision: 'redirected', extension, source: answer.source };
  } catch (err) {
    const detail = err instanceof AmiError ? `${err.kind}: ${err.message}` : (err as Error).message;
    return { decision: 'fallback', reason: 'redirect_failed', extension, detail };
  }
}

async function record(ctx: JobContext, enterprise: string, cand: RedirectCandidate, r: RedirectDecision, durationMs: number): Promise<void> {
  const ok = r.decision === 'redirected';
  ctx.log.info({ enterprise, callId: cand.uniqueId, ...r, durationMs }, ok ? `smart redirect: caller sent to ${r.extension}` : `smart redirect: normal routing (${r.reason})`);
  const entry: CallLogIntegrationEntry = {
    kind: 'integration', enterprise, callRef: cand.uniqueId, at: new Date().toISOString(), entryKey: `smart-${cand.uniqueId}`,
    integration: 'smart_redirect', operation: 'redirect', status: ok ? 'success' : 'fallback',
    request: { channel: cand.channel, phone: cand.phone, ringing: cand.ringing }, response: r, durationMs: Math.round(durationMs), attempt: 1,
    ...(ok || !('detail' in r) || !r.detail ? {} : { error: r.detail.slice(0, 4000) }),
  };
  await ctx.producers.add('callLog', 'integration', entry);
}
