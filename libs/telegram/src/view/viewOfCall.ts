/**
 * The message a call should show now: a pure mapping from its facts (libs/callFacts) to the message
 * view — ringing until someone talks, talking until the call's hangup, then the final message. The
 * facts are a function of the record's events in any order, so late events never roll it back, and
 * the duration shown is the facts' (the PBX's own clock), the same number `calls` and /trace hold.
 */
import type { CallFacts, CallStage } from '@callpipe/call-facts';
import type { CallMessageView, HangupOutcome } from '../texts/callView.js';

export type { CallStage };
/** ringing < talking < ended: a chat never goes back to a lower stage. */
export const STAGE_RANK: Readonly<Record<CallStage, number>> = { ringing: 1, talking: 2, ended: 3 };

export interface CallViewResult {
  stage: CallStage;
  view: CallMessageView;
  /** The customer's phone, digits only (external calls): the key of the old phone:chat map. */
  phone?: string;
}

function internalView(f: CallFacts, outcome: HangupOutcome, withRecord: { recordUrl?: string }): CallViewResult | null {
  const caller = f.caller ?? f.talked[0];
  if (!caller) return null;
  const talkedWith = f.talked.filter((x) => x !== caller);
  if (f.stage === 'ended') {
    const callees = outcome === 'answered' && talkedWith.length ? talkedWith : f.callees;
    return { stage: 'ended', view: { scope: 'internal', kind: 'hangup', caller, outcome, callees, durationSeconds: f.durationSec ?? 0, ...withRecord } };
  }
  const callee = f.manager ?? talkedWith.at(-1) ?? f.callees[0];
  if (f.stage === 'talking' && callee) return { stage: 'talking', view: { scope: 'internal', kind: 'bridge', caller, callee } };
  return { stage: 'ringing', view: { scope: 'internal', kind: f.dialSeen ? 'dial' : 'start', caller, callees: f.callees } };
}

export function viewOfCall(f: CallFacts): CallViewResult | null {
  if (f.direction === null) return null;
  const outcome: HangupOutcome = f.outcome ?? 'missed';
  const withRecord = f.recordUrl ? { recordUrl: f.recordUrl } : {};
  if (f.direction === 'internal') return internalView(f, outcome, withRecord);

  const phone = f.customerPhone;
  if (!phone) return null;
  const base = { scope: 'external' as const, direction: f.direction, phone };
  if (f.stage === 'ended') {
    const transfers = f.servedBy.length > 1 ? { transfers: f.servedBy } : {};
    const extensions = outcome === 'answered' && f.manager ? [f.manager] : f.rung;
    return { stage: 'ended', phone, view: { ...base, kind: 'hangup', outcome, extensions, durationSeconds: f.durationSec ?? 0, ...withRecord, ...transfers } };
  }
  if (f.stage === 'talking' && f.manager) {
    const transferredFrom = f.servedBy.length > 1 ? f.servedBy[f.servedBy.length - 2] : undefined;
    return { stage: 'talking', phone, view: { ...base, kind: 'bridge', extension: f.manager, ...(transferredFrom ? { transferredFrom } : {}) } };
  }
  return { stage: 'ringing', phone, view: { ...base, kind: f.dialSeen ? 'dial' : 'start', extensions: f.rung } };
}

/** Every extension a call's message may name (for the manager-name lookup). */
export function extensionsOfCall(f: CallFacts): string[] {
  return [...new Set([...f.rung, ...f.talked, ...f.servedBy, ...(f.caller ? [f.caller] : []), ...f.callees, ...(f.manager ? [f.manager] : [])])];
}
