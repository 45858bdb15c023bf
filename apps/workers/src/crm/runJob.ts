/**
 * One crm-dispatch job: one action of one CRM for one call, in an order a manager can trust.
 *
 * - popup: shows the call to the managers not shown it yet; nothing once the call is closed (a dial
 *   that arrives or is retried after the hangup never leaves a popup open). While the record does not
 *   hold its call's opening (facts.rooted false) it waits, up to CRM_POPUP_WAIT_MS after it was made,
 *   re-reading the latest facts; then it goes with what is known. Nothing under a callRef that was
 *   joined to an older call meanwhile (latestFacts.ts).
 * - close: when no popup went for the call, sends it first (synthetic dial), once; managers rung but
 *   never shown (their dial arrived after the hangup) get theirs first too; then the hangup. For a
 *   callRef joined to an older call it only takes down what was shown under it (no synthetic popup).
 * - history: the ended call in the customer's history, once; it waits while its call's close job is
 *   still queued (retries, breaker holds: however long), and goes without it only when that job left
 *   the queue without closing (failed for good, removed).
 *
 * What was sent is recorded per (enterprise, integration, call) in Redis; the actions of one call run
 * one at a time (a per-call lock). Delivery: a retryable failure is thrown (BullMQ's backoff); a wait
 * the CRM asked for, our rate limit, an open breaker or a held lock delay the job without spending an
 * attempt; a refusal (bad key, validation) fails the job for good (it stays in Bull Board) and a bad
 * key flags the integration in the misconfiguration registry.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { CallFacts } from '@callpipe/call-facts';
import type { EnterpriseEntry } from '@callpipe/config-cache';
import {
  callStateKey, createCrmHttp, CrmBreakerOpenError, CrmRequestError, RedisCallState,
  type CrmAdapter, type CrmContext,
} from '@callpipe/crm';
import type { Logger } from '@callpipe/logging';
import { crmDispatchJobId, factsFromJson, type CrmDispatchJob } from '@callpipe/queues';
import { CallRecordState } from './adapterState.js';
import { callLockKey, withCallLock } from './callLock.js';
import type { CrmDispatchDeps } from './deps.js';
import { sendHistoryBatched } from './historyBatch.js';
import { freshestFacts, joinedInto } from './latestFacts.js';
import { notShownYet, popupManagers } from './plan.js';

export type CrmJobOutcome =
  | { done: 'sent'; detail: string }
  | { done: 'skipped'; reason: string };

/** Thrown after the job was moved to delayed: BullMQ leaves it there (no attempt spent). */
async function delay(job: Job, token: string | undefined, ms: number, why: string, log: Logger): Promise<never> {
  const wait = Math.max(50, Math.round(ms * (1 + Math.random() * 0.2)));
  log.debug({ waitMs: wait, why }, 'crm job delayed');
  await job.moveToDelayed(Date.now() + wait, token);
  throw new DelayedError(why);
}

interface Run {
  adapter: CrmAdapter;
  ctx: CrmContext;
  state: CallRecordState;
  facts: CallFacts;
  log: Logger;
  /** The callRef of the older call this one was joined to, null while it is a call of its own. */
  joinedInto: () => Promise<string | null>;
}

/** States of a job that will still run. */
const PENDING = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

async function popup(r: Run, job: CrmDispatchJob): Promise<CrmJobOutcome> {
  const into = await r.joinedInto();
  if (into) return { done: 'skipped', reason: `this callRef is part of call ${into} now: its popups speak for it` };
  const sent = await r.state.sent();
  if (sent.closed) return { done: 'skipped', reason: 'the call is closed already: a popup now would stay open' };
  const fresh = notShownYet(job.managers.length ? job.managers : popupManagers(r.facts), sent.shown);
  if (fresh.length === 0) return { done: 'skipped', reason: 'every manager was shown this call already' };
  await r.adapter.popup(r.facts, fresh, r.ctx);
  await r.state.markShown([...sent.shown, ...fresh]);
  return { done: 'sent', detail: `popup for ${fresh.join(', ')}` };
}

/** A piece of a call joined to an older call: what was shown under its callRef comes down; nothing else goes. */
async function retire(r: Run, into: string): Promise<CrmJobOutcome> {
  const sent = await r.state.sent();
  if (sent.closed) return { done: 'skipped', reason: 'closed already' };
  const shown = sent.shown.filter((m) => m !== '-');
  if (shown.length > 0) {
    r.log.info({ into, shown }, 'a popup went under a callRef that is part of an older call now: taking it down');
    await r.adapter.close(r.facts, r.ctx);
  }
  await r.state.markClosed();
  return shown.length > 0
    ? { done: 'sent', detail: `hangup of a piece joined to call ${into}` }
    : { done: 'skipped', reason: `part of call ${into}; nothing was shown under this callRef` };
}

async function close(r: Run): Promise<CrmJobOutcome> {
  const into = await r.joinedInto();
  if (into) return retire(r, into);
  const sent = await r.state.sent();
  if (sent.closed) return { done: 'skipped', reason: 'closed already' };
  let before = '';
  const missing = notShownYet(popupManagers(r.facts), sent.shown);
  if (sent.shown.length === 0) {
    // A hangup with no popup sent: the popup first, once (the old "synthetic dial").
    r.log.info({ managers: missing }, 'hangup with no popup sent: synthetic popup first');
    await r.adapter.popup(r.facts, missing, r.ctx);
    await r.state.markShown(missing.length ? missing : ['-']);
    before = 'synthetic popup, then ';
  } else if (missing.length > 0) {
    // Rung managers whose dial arrived after the hangup: their popup first, so the popups name everyone rung.
    r.log.info({ managers: missing }, 'managers rung but not shown yet: their popup before the hangup');
    await r.adapter.popup(r.facts, missing, r.ctx);
    await r.state.markShown([...sent.shown, ...missing]);
    before = `popup for ${missing.join(', ')}, then `;
  }
  await r.adapter.close(r.facts, r.ctx);
  await r.state.markClosed();
  return { done: 'sent', detail: `${before}hangup` };
}

async function history(r: Run): Promise<CrmJobOutcome> {
  const sent = await r.state.sent();
  if (sent.history) return { done: 'skipped', reason: 'history delivered already' };
  await r.adapter.history(r.facts, r.ctx);
  await r.state.markHistory();
  return { done: 'sent', detail: 'history' };
}

export async function runCrmJob(
  job: Job<CrmDispatchJob>, token: string | undefined, deps: CrmDispatchDeps, jobLog: Logger,
): Promise<CrmJobOutcome> {
  const d = job.data;
  const log = jobLog.child({ integration: d.integration, action: d.action, callId: d.callRef });
  const adapter = deps.adapterFor(d.integration);
  if (!adapter) return { done: 'skipped', reason: `no adapter for ${d.integration}` };
  const found = await deps.cache.lookup(d.enterprise, 'integrations');
  const entry: EnterpriseEntry | undefined = found?.entry;
  const settings = entry?.configs[d.integration];
  if (!entry || !settings || entry.integrations[d.integration] !== true) {
    return { done: 'skipped', reason: `${d.integration} is not enabled for ${d.enterprise} now` };
  }

  const hash = new RedisCallState(deps.redis, callStateKey(deps.prefix, d.enterprise, d.integration, d.callRef));
  const state = new CallRecordState(hash);
  if (d.action === 'history') {
    const sent = await state.sent();
    if (sent.history) return { done: 'skipped', reason: 'history delivered already' };
    if (!sent.closed) {
      // The hangup first: while the close job will still run (a retry, a breaker hold), history waits for it.
      const closeState = await deps.jobState(crmDispatchJobId({ ...d, action: 'close', managers: [] }));
      if (PENDING.has(closeState)) {
        const age = Date.now() - Date.parse(d.at);
        return delay(job, token, Math.min(30_000, Math.max(500, age / 2)), 'history waits for the hangup to land', log);
      }
      log.warn({ closeJob: closeState }, 'history goes without a hangup: the close job left the queue without closing');
    }
  }

  const jobFacts = factsFromJson(d.facts);
  // What the record says by now: a popup made from a transfer's dial applied before the call's first one knows more a moment later.
  const facts = await freshestFacts(deps.redis, deps.prefix, d.enterprise, jobFacts);
  if (d.action === 'popup' && !facts.rooted) {
    // Its number and direction may still be a transfer's: wait for the event that opened the call, a bounded while.
    const left = Date.parse(d.at) + deps.popupWaitMs - Date.now();
    if (left > 0) return delay(job, token, left, 'popup waits for the call\'s opening', log);
    log.info({ waitedMs: deps.popupWaitMs }, 'the call\'s opening did not arrive in time: popup goes with what is known');
  }
  const http = createCrmHttp(deps.http, {
    adapter, account: { enterprise: d.enterprise, type: d.integration, settings }, action: d.action,
    callRefs: [d.callRef], attempt: job.attemptsMade + 1, log,
  });
  const run: Run = {
    adapter, ctx: { account: { enterprise: d.enterprise, type: d.integration, settings }, http, state: state.forAdapter(), log }, state, facts, log,
    joinedInto: () => joinedInto(deps.redis, deps.prefix, d.enterprise, d.callRef),
  };

  try {
    if (d.action === 'history' && adapter.historyBatch) {
      const batched = await sendHistoryBatched(deps, { ...adapter, historyBatch: adapter.historyBatch }, run.ctx.account, facts, job.attemptsMade + 1, log);
      if (batched.kind === 'busy') return await delay(job, token, 300, 'another process is sending this account\'s history batch', log);
      if (batched.kind === 'in-other-batch') return { done: 'skipped', reason: 'delivered in another job\'s batch' };
      await deps.misconfig.clear(d.enterprise, d.integration).catch(() => false);
      return { done: 'sent', detail: `history (batch of ${batched.calls})` };
    }
    const locked = await withCallLock(deps.redis, callLockKey(deps.prefix, d.enterprise, d.integration, d.callRef), deps.lockMs, () => {
      switch (d.action) {
        case 'popup': return popup(run, d);
        case 'close': return close(run);
        case 'history': return history(run);
      }
    });
    if (!locked.locked) return await delay(job, token, 250, 'another action of this call is running', log);
    if (locked.value.done === 'sent') await deps.misconfig.clear(d.enterprise, d.integration).catch(() => false);
    return locked.value;
  } catch (err) {
    if (err instanceof DelayedError) throw err;
    if (err instanceof CrmBreakerOpenError) return delay(job, token, err.retryInMs, 'circuit open', log);
    if (err instanceof CrmRequestError) {
      const v = err.verdict;
      if (v.kind === 'rate-limited') return delay(job, token, v.waitMs, v.reason, log);
      if (v.kind === 'fatal') {
        if (v.auth && await deps.misconfig.report(d.enterprise, d.integration, `${d.integration} refused our credentials: ${v.reason}`).catch(() => false)) {
          log.error({ reason: v.reason }, 'CRM refuses our credentials: integration flagged in /health');
        }
        throw new UnrecoverableError(`${err.message} (not retried: ${v.auth ? 'bad credentials' : 'the CRM refuses this request'})`);
      }
    }
    throw err;
  }
}
