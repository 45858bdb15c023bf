/**
 * The one list of steps run after the call log applied an entry of kind 'event' — on EVERY delivery of
 * the entry, duplicates included: a job retried after its transaction committed (a worker killed after
 * COMMIT, an enqueue that failed) must still run them, or the hangup's final message and call row are
 * lost. So each step is idempotent: upserts keyed by the call, and syncs that converge on the record.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { messageInputsChanged } from '@callpipe/telegram';
import type { JobContext } from '../processors/context.js';
import { writeCallHistory } from '../callHistory/writeCall.js';
import { enqueueSyncs } from '../telegram/fanOut.js';
import { RecipientsCache } from '../telegram/recipients.js';
import type { CrmDispatchDeps } from '../crm/deps.js';
import { enqueueCrmJobs } from '../crm/fanOutStep.js';

export interface AppliedCall {
  enterprise: string;
  callId: string;
  merged: string[];
  eventType: string;
  facts: CallFacts | null;
  /** The call's facts without the events these steps run for (see ApplyResult.factsBefore). */
  factsBefore: CallFacts | null;
  timeZone: string;
}
export type AfterEntryStep = (call: AppliedCall, ctx: JobContext) => Promise<void>;

/** Call history: the `calls` row and the customer's aggregates once the call ended, whoever gets messages. */
export const callHistoryStep: AfterEntryStep = async (call, ctx) => {
  const outcome = await writeCallHistory(ctx.db, call.enterprise, call.facts);
  if (outcome === 'written') ctx.log.debug({ record: call.callId, callRef: call.facts?.callRef }, 'call history written');
  else if (outcome === 'stale') ctx.log.debug({ record: call.callId }, 'call history left to a later entry with fresher facts');
};

/**
 * Telegram: one sync of the call for its active recipients; it renders the record as it is when it runs. Events
 * that leave the message's inputs as they were (most of a call's bridge, caller-id and leg events) need
 * none: the syncs of the events that did change them render these too. A merge (messages to remove) and
 * a hangup of an ended call (the final message's bookkeeping, telegram_sent) always sync. `debounceMs` holds the syncs
 * of a call still running, so a burst of its events makes one message; an ended call's go at once.
 */
export function telegramSyncStep(o: { debounceMs?: number; recipients?: RecipientsCache } = {}): AfterEntryStep {
  // Each enterprise's recipients, reused across this process's triggers (telegram/recipients.ts): until a
  // change is heard when the process listens for them, else for 2 s.
  const recipients = o.recipients ?? new RecipientsCache();
  return async (call, ctx) => {
    const ended = call.facts?.stage === 'ended';
    // A hangup of an ended call syncs for telegram_sent; a leg's hangup while the call runs is treated as
    // every other event (the final sync marks every hangup the record holds by then).
    const bookkeeping = call.eventType === 'hangup' && ended;
    if (call.merged.length === 0 && !bookkeeping && !messageInputsChanged(call.factsBefore, call.facts)) {
      ctx.log.debug({ record: call.callId }, 'telegram: message unchanged by these events; no sync');
      return;
    }
    const delayMs = ended ? 0 : o.debounceMs ?? 0;
    await enqueueSyncs(ctx.db, ctx.producers, { ...call, delayMs }, recipients);
  };
}

/** CRMs: this call's crm-dispatch jobs (popup, close, history) for each enabled CRM (../crm/plan.ts). */
export function crmDispatchStep(deps: CrmDispatchDeps): AfterEntryStep {
  return async (call, ctx) => {
    await enqueueCrmJobs(deps, ctx.producers, call, ctx.log);
  };
}

export function afterEntrySteps(o: { crm?: CrmDispatchDeps; telegramDebounceMs?: number; recipients?: RecipientsCache } = {}): AfterEntryStep[] {
  const telegram = telegramSyncStep({ debounceMs: o.telegramDebounceMs ?? 0, ...(o.recipients ? { recipients: o.recipients } : {}) });
  return [callHistoryStep, telegram, ...(o.crm ? [crmDispatchStep(o.crm)] : [])];
}
