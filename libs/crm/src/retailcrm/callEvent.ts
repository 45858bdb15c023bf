/**
 * POST /api/v5/telephony/call/event: the popup a manager sees while the call rings (type in|out) and
 * the hangup that takes it down. Form fields `clientId` (our enterprise number) and `event` (a JSON
 * string). `codes` name the managers by extension and are sent only for extensions mapped in
 * `user_extensions`; `userIds` are the fallback for codes RetailCRM answers it does not know.
 */
import type { CallFacts, CallOutcome } from '@callpipe/call-facts';
import { e164, externalCall, isSkip, unique, type RetailCallType, type Skip } from './callType.js';

/** RetailCRM's hangupStatus enum. */
export type HangupStatus = 'answered' | 'busy' | 'cancel' | 'failed' | 'no answered';

export interface CallEvent {
  phone: string;
  type: RetailCallType | 'hangup';
  codes?: string[];
  userIds?: number[];
  callExternalId: string;
  externalPhone?: string;
  hangupStatus?: HangupStatus;
}

const HANGUP_STATUS: Record<CallOutcome, HangupStatus> = { answered: 'answered', busy: 'busy', missed: 'no answered' };

/** A call that ended without a known outcome still closes its popup; RetailCRM's word for that is failed. */
export function hangupStatusOf(outcome: CallOutcome | null): HangupStatus {
  return outcome ? HANGUP_STATUS[outcome] : 'failed';
}

function mappedCodes(extensions: readonly string[], userByExtension: ReadonlyMap<string, number>): string[] {
  return unique(extensions).filter((ext) => userByExtension.has(ext));
}

function base(facts: CallFacts, phone: string): Pick<CallEvent, 'phone' | 'callExternalId' | 'externalPhone'> {
  return { phone: e164(phone), callExternalId: facts.callRef, ...(facts.line ? { externalPhone: facts.line } : {}) };
}

/** The popup for `managers` (every extension rung, or the one a transfer brought in). */
export function popupEvent(facts: CallFacts, managers: readonly string[], userByExtension: ReadonlyMap<string, number>): CallEvent | Skip {
  const call = externalCall(facts);
  if (isSkip(call)) return call;
  const codes = mappedCodes(managers, userByExtension);
  if (codes.length === 0) return { skip: `no manager to show: ${managers.length ? `extensions ${unique(managers).join(', ')} are not in user_extensions` : 'no extension rung'}` };
  return { ...base(facts, call.phone), type: call.type, codes };
}

/** Every extension that may have a popup open for this call: rung, talked, and the caller of an outbound call. */
export function shownExtensions(facts: CallFacts): string[] {
  return unique([...facts.rung, ...facts.talked, ...facts.servedBy, facts.manager, facts.caller]);
}

/** The hangup: closes the popup on every mapped manager's screen that may show it. */
export function hangupEvent(facts: CallFacts, userByExtension: ReadonlyMap<string, number>): CallEvent | Skip {
  const call = externalCall(facts);
  if (isSkip(call)) return call;
  const codes = mappedCodes(shownExtensions(facts), userByExtension);
  if (codes.length === 0) return { skip: 'no mapped manager had a popup to close' };
  return { ...base(facts, call.phone), type: 'hangup', codes, hangupStatus: hangupStatusOf(facts.outcome) };
}

/**
 * The same event for the managers whose codes RetailCRM did not recognise (`notExistCodes`, e.g. the
 * module's additionalCodes were never registered), addressed by user id instead; null when none of them has one.
 */
export function userIdFallback(event: CallEvent, notExistCodes: readonly string[], userByExtension: ReadonlyMap<string, number>): CallEvent | null {
  const userIds = unique(notExistCodes.map(String))
    .filter((code) => event.codes?.includes(code))
    .map((code) => userByExtension.get(code))
    .filter((id): id is number => id !== undefined);
  if (userIds.length === 0) return null;
  const { codes: _codes, ...rest } = event;
  return { ...rest, userIds: [...new Set(userIds)] };
}

/** The form body: clientId and the event as one JSON string (a nested form value is refused by RetailCRM). */
export function callEventForm(clientId: string, event: CallEvent): Record<string, string> {
  return { clientId, event: JSON.stringify(event) };
}
