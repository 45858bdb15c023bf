/**
 * What a call record says about the call, as a commutative fold over its events: each event
 * contributes a CallFold, and `combine` is associative, commutative and idempotent on everything
 * but the event count (which counts each stored event once). So the summary of a call is the same
 * whatever order its events arrive in and however its partial records were merged.
 */
import { field, listField, numberField, type CorrelationEvent } from './event.js';
import { isExternalNumber, normalizePhone } from './phones.js';

export type Direction = 'in' | 'out' | 'internal';
export type CallStatus = 'active' | 'answered' | 'busy' | 'missed' | 'no_answer';

export interface CallFold {
  uniqueIds: string[];
  bridgeUniqueIds: string[];
  /** Outside numbers in Phone fields, digits only. */
  phones: string[];
  extensions: string[];
  /** Bit 0: inbound seen (CallType 0 or a start), bit 1: outbound (1), bit 2: internal (2). */
  callTypes: number;
  answered: boolean;
  hangupSeen: boolean;
  busySeen: boolean;
  firstAt: number | null;
  lastAt: number | null;
  eventCount: number;
}

export const EMPTY_FOLD: CallFold = Object.freeze({
  uniqueIds: [], bridgeUniqueIds: [], phones: [], extensions: [], callTypes: 0,
  answered: false, hangupSeen: false, busySeen: false, firstAt: null, lastAt: null, eventCount: 0,
}) as CallFold;

const sortedSet = (items: Iterable<string>): string[] => [...new Set(items)].sort();
const union = (a: readonly string[], b: readonly string[]): string[] => (b.length === 0 ? [...a] : sortedSet([...a, ...b]));
const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** CallStatus 2 on a hangup: the call was answered; 1: busy (Asterisk's dial status as hosts report it). */
const ANSWERED = 2;
const BUSY = 1;

export function contribution(e: CorrelationEvent): CallFold {
  const b = e.body;
  // A dial's DestUniqueid names a channel of the call too (a queue's Local member channel).
  const uniqueIds = [field(b, 'UniqueId'), field(b, 'Linkedid'), field(b, 'DestUniqueid')].filter((x): x is string => x !== undefined);
  const bridge = field(b, 'BridgeUniqueid');
  const phone = field(b, 'Phone');
  const callType = numberField(b, 'CallType');
  const callStatus = numberField(b, 'CallStatus');
  let callTypes = 0;
  if (e.type === 'start' || callType === 0) callTypes |= 1;
  if (callType === 1) callTypes |= 2;
  if (callType === 2) callTypes |= 4;
  const isHangup = e.type === 'hangup';
  // Two channels in a talk bridge is an answer even before the hangup says so; a holding bridge
  // (music on hold, a queue) is not.
  const talking = e.type === 'bridge' && field(b, 'BridgeType') !== 'holding' && (numberField(b, 'BridgeNumChannels') ?? 0) >= 2;
  return {
    uniqueIds: sortedSet(uniqueIds),
    bridgeUniqueIds: bridge ? [bridge] : [],
    phones: phone && isExternalNumber(phone) ? [normalizePhone(phone)] : [],
    extensions: sortedSet(listField(b, 'Extensions').filter((x) => !isExternalNumber(x))),
    callTypes,
    answered: (isHangup && callStatus === ANSWERED) || talking,
    hangupSeen: isHangup,
    busySeen: isHangup && callStatus === BUSY,
    firstAt: e.at,
    lastAt: e.at,
    eventCount: 1,
  };
}

export function combine(a: CallFold, b: CallFold): CallFold {
  return {
    uniqueIds: union(a.uniqueIds, b.uniqueIds),
    bridgeUniqueIds: union(a.bridgeUniqueIds, b.bridgeUniqueIds),
    phones: union(a.phones, b.phones),
    extensions: union(a.extensions, b.extensions),
    callTypes: a.callTypes | b.callTypes,
    answered: a.answered || b.answered,
    hangupSeen: a.hangupSeen || b.hangupSeen,
    busySeen: a.busySeen || b.busySeen,
    firstAt: minOf(a.firstAt, b.firstAt),
    lastAt: maxOf(a.lastAt, b.lastAt),
    eventCount: a.eventCount + b.eventCount,
  };
}

export function fold(events: readonly CorrelationEvent[]): CallFold {
  return events.reduce((acc, e) => combine(acc, contribution(e)), EMPTY_FOLD);
}

/** Inbound wins over outbound over internal: a consultation (internal) inside a customer's call does not make it internal. */
export function directionOf(callTypes: number): Direction | null {
  if (callTypes & 1) return 'in';
  if (callTypes & 2) return 'out';
  if (callTypes & 4) return 'internal';
  return null;
}

export function statusOf(f: Pick<CallFold, 'answered' | 'hangupSeen' | 'busySeen' | 'callTypes'>): CallStatus {
  if (!f.hangupSeen) return 'active';
  if (f.answered) return 'answered';
  if (f.busySeen) return 'busy';
  return directionOf(f.callTypes) === 'out' ? 'no_answer' : 'missed';
}

export interface CallSummary {
  direction: Direction | null;
  answered: boolean;
  status: CallStatus;
  startTime: Date | null;
  endTime: Date | null;
  durationSec: number | null;
  phones: string[];
  extensions: string[];
  uniqueIds: string[];
  bridgeUniqueIds: string[];
  eventCount: number;
}

export function summaryOf(f: CallFold): CallSummary {
  return {
    direction: directionOf(f.callTypes),
    answered: f.answered,
    status: statusOf(f),
    startTime: f.firstAt === null ? null : new Date(f.firstAt),
    endTime: f.lastAt === null ? null : new Date(f.lastAt),
    durationSec: f.firstAt === null || f.lastAt === null ? null : Math.round((f.lastAt - f.firstAt) / 1000),
    phones: f.phones,
    extensions: f.extensions,
    uniqueIds: f.uniqueIds,
    bridgeUniqueIds: f.bridgeUniqueIds,
    eventCount: f.eventCount,
  };
}
