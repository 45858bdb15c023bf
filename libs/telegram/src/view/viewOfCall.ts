/**
 * The message a call should show now, from the call record's events (any order, any number of
 * redeliveries): ringing until someone talks, talking until a hangup, then the final message. A pure
 * fold over the set, so shuffled events give the same view and late events never roll it back.
 */
import { directionOf, field, fold, isExternalNumber, listField, numberField, type CorrelationEvent } from '@callpipe/correlation';
import type { CallMessageView, HangupOutcome } from '../texts/callView.js';

/** ringing < talking < ended: a chat never goes back to a lower stage. */
export type CallStage = 'ringing' | 'talking' | 'ended';
export const STAGE_RANK: Readonly<Record<CallStage, number>> = { ringing: 1, talking: 2, ended: 3 };

export interface CallViewResult {
  stage: CallStage;
  view: CallMessageView;
  /** The customer's phone (external calls): the key of the old phone:chat map. */
  phone?: string;
}

const byTime = (a: CorrelationEvent, b: CorrelationEvent) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const isTalking = (e: CorrelationEvent) =>
  e.type === 'bridge' && field(e.body, 'BridgeType') !== 'holding' && (numberField(e.body, 'BridgeNumChannels') ?? 0) >= 2;

/** Extensions on a bridge event (its channel's CallerIDNum and the connected line). */
function internalsOf(e: CorrelationEvent): string[] {
  return [field(e.body, 'CallerIDNum'), field(e.body, 'ConnectedLineNum')]
    .filter((x): x is string => x !== undefined && x !== '' && !isExternalNumber(x));
}

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];

export function viewOfCall(events: readonly CorrelationEvent[]): CallViewResult | null {
  const f = fold(events);
  const direction = directionOf(f.callTypes);
  if (direction === null) return null;
  const sorted = [...events].sort(byTime);
  const talking = sorted.filter(isTalking);
  const hangups = sorted.filter((e) => e.type === 'hangup');
  const lastHangup = hangups[hangups.length - 1];
  const stage: CallStage = f.hangupSeen ? 'ended' : f.answered ? 'talking' : 'ringing';
  const outcome: HangupOutcome = f.answered ? 'answered' : f.busySeen ? 'busy' : 'missed';
  const rung = uniq(sorted.flatMap((e) => listField(e.body, 'Extensions')).filter((x) => !isExternalNumber(x)));
  const talkers = uniq(talking.flatMap(internalsOf));
  const lastTalker = talking.length ? internalsOf(talking[talking.length - 1]!).find((x) => x !== undefined) : undefined;
  // Talk ends when the last talk bridge is left (a customer put back on hold is not talking).
  const leaves = sorted.filter((e) => e.type === 'bridge_leave' && field(e.body, 'BridgeType') !== 'holding');
  const talkEnd = leaves.length ? leaves[leaves.length - 1]!.at : lastHangup?.at;
  const durationSeconds = f.answered && talkEnd !== undefined && talking[0] ? Math.max(0, Math.round((talkEnd - talking[0].at) / 1000)) : 0;
  const recordUrl = [...hangups].reverse().map((e) => field(e.body, 'RecordUrl')).find((x) => x !== undefined && x !== '');
  const withRecord = recordUrl ? { recordUrl } : {};

  if (direction === 'internal') {
    const ringEvent = sorted.find((e) => (e.type === 'dial' || e.type === 'start') && numberField(e.body, 'CallType') === 2);
    const caller = (ringEvent && field(ringEvent.body, 'CallerIDNum')) ?? talkers[0];
    if (!caller) return null;
    const callees = rung.filter((x) => x !== caller);
    if (stage === 'ended') {
      const talked = talkers.filter((x) => x !== caller);
      return { stage, view: { scope: 'internal', kind: 'hangup', caller, outcome, callees: f.answered && talked.length ? talked : callees, durationSeconds, ...withRecord } };
    }
    if (stage === 'talking') {
      const callee = talkers.find((x) => x !== caller) ?? callees[0];
      if (callee) return { stage, view: { scope: 'internal', kind: 'bridge', caller, callee } };
    }
    return { stage: 'ringing', view: { scope: 'internal', kind: ringEvent?.type === 'start' ? 'start' : 'dial', caller, callees } };
  }

  const phoneEvent = sorted.find((e) => ['start', 'dial', 'hangup'].includes(e.type) && isExternalNumber(field(e.body, 'Phone') ?? ''));
  const phone = phoneEvent ? field(phoneEvent.body, 'Phone') : undefined;
  if (!phone) return null;
  const base = { scope: 'external' as const, direction, phone };
  if (stage === 'ended') {
    const transfers = talkers.length > 1 ? { transfers: talkers } : {};
    const extensions = f.answered && lastTalker ? [lastTalker] : rung;
    return { stage, phone, view: { ...base, kind: 'hangup', outcome, extensions, durationSeconds, ...withRecord, ...transfers } };
  }
  if (stage === 'talking' && lastTalker) {
    const transferredFrom = talkers.length > 1 ? talkers[talkers.length - 2] : undefined;
    return { stage, phone, view: { ...base, kind: 'bridge', extension: lastTalker, ...(transferredFrom ? { transferredFrom } : {}) } };
  }
  const dialed = sorted.some((e) => e.type === 'dial');
  return { stage: 'ringing', phone, view: { ...base, kind: dialed ? 'dial' : 'start', extensions: rung } };
}
