/**
 * Which crm-dispatch jobs one applied call event makes (pure). For each enabled CRM of an external
 * call: a popup job while it rings (named by the managers rung, so a transfer to a new manager is a
 * new job and a resend is not), and once the hangup is in the record a close job and a history job
 * (delayed a little, so late events are in it). Internal calls and calls whose direction nothing
 * tells yet make none; the hangup's close sends the popup itself when no popup went (synthetic dial).
 *
 * A popup of a record that does not hold its call's opening yet (facts.rooted false: events arrived
 * out of order, so its number may be a transfer's) is planned to wait popupWaitMs under an id of its
 * own; the event that roots the record plans the usual immediate one, and the waiting one then finds
 * nobody left to show. Pieces of a call that a join brought into this record get a close (planClose).
 */
import type { CallFacts } from '@callpipe/call-facts';
import { crmDispatchJobId, factsToJson, type CrmDispatchAction, type CrmDispatchJob } from '@callpipe/queues';

export interface PlannedJob {
  jobId: string;
  data: CrmDispatchJob;
  /** ms before it may run (history waits for late events). */
  delayMs: number;
}

export interface PlanOptions {
  historyDelayMs: number;
  /** How long a popup of an unrooted record waits for the call's opening (CRM_POPUP_WAIT_MS). */
  popupWaitMs: number;
  now: Date;
}

/** The id suffix of a popup planned before its record was rooted (kept apart from the immediate one). */
export const WAITING_POPUP = '-w';

/** Every extension a popup for this call names: the rung ones, and the manager who dialled an outbound call. */
export function popupManagers(facts: CallFacts): string[] {
  const out: string[] = [];
  const add = (x: string | null | undefined) => { if (x && !out.includes(x)) out.push(x); };
  if (facts.direction === 'out') add(facts.caller);
  for (const x of facts.rung) add(x);
  return out;
}

/** The managers of a popup not shown yet (a retry or a resend shows nobody twice). */
export function notShownYet(managers: readonly string[], shown: readonly string[]): string[] {
  return managers.filter((m, i) => !shown.includes(m) && managers.indexOf(m) === i);
}

/** Whether CRMs get anything for this call: external (in or out) by CallType or by its numbers. */
export function isExternal(facts: CallFacts): boolean {
  if (facts.hostCallType === 2 || facts.direction === 'internal') return false;
  return facts.hostCallType === 0 || facts.hostCallType === 1 || facts.direction === 'in' || facts.direction === 'out';
}

export function planCrmJobs(
  call: { enterprise: string; callId: string; facts: CallFacts },
  integrations: readonly string[],
  o: PlanOptions,
): PlannedJob[] {
  const { facts } = call;
  if (integrations.length === 0 || !isExternal(facts)) return [];
  const managers = popupManagers(facts);
  const actions: { action: CrmDispatchAction; managers: string[]; delayMs: number; waiting?: boolean }[] = [];
  if (facts.hangupSeen) {
    actions.push({ action: 'close', managers, delayMs: 0 }, { action: 'history', managers: [], delayMs: o.historyDelayMs });
  } else if (facts.dialSeen && managers.length > 0) {
    actions.push(facts.rooted
      ? { action: 'popup', managers, delayMs: 0 }
      : { action: 'popup', managers, delayMs: o.popupWaitMs, waiting: true });
  }
  const json = factsToJson(facts);
  const at = o.now.toISOString();
  return integrations.flatMap((integration) => actions.map((a) => {
    const data: CrmDispatchJob = {
      enterprise: call.enterprise, integration, action: a.action, callRef: facts.callRef, callId: call.callId,
      managers: a.managers, facts: json, at,
    };
    return { jobId: crmDispatchJobId(data) + (a.waiting ? WAITING_POPUP : ''), data, delayMs: a.delayMs };
  }));
}

/**
 * The close of a piece joined to another call (its callRef names no call any more): it takes down a
 * popup shown under that callRef, if one went, and keeps any later popup of it from going.
 */
export function planClose(call: { enterprise: string; callId: string }, piece: CallFacts, integrations: readonly string[], now: Date): PlannedJob[] {
  if (!isExternal(piece)) return [];
  const json = factsToJson(piece);
  return integrations.map((integration) => {
    const data: CrmDispatchJob = {
      enterprise: call.enterprise, integration, action: 'close', callRef: piece.callRef, callId: call.callId,
      managers: [], facts: json, at: now.toISOString(),
    };
    return { jobId: crmDispatchJobId(data), data, delayMs: 0 };
  });
}
