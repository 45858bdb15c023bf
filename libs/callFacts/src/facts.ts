/**
 * callFacts: the one reading of a call's record (its events, in any order) that every consumer uses —
 * Telegram texts, the `calls` row, the trace summary, CRM requests. Pure; the rules are in
 * parties.ts (direction, numbers), talkers.ts (who talked), times.ts (host times), rooted.ts (whether
 * the call's opening is in the record) and outcome below.
 */
import { field, numberField, type CorrelationEvent } from '@callpipe/correlation';
import type { CallFacts, CallOutcome, CallStage } from './types.js';
import { readCallEvents, type CallEvents } from './callEvents.js';
import { partiesOf } from './parties.js';
import { talkersOf } from './talkers.js';
import { timesOf } from './times.js';
import { isRooted } from './rooted.js';

export interface CallFactsOptions {
  /** The enterprise's IANA time zone: the PBX's local times are read in it. */
  timeZone: string;
}

/** CallStatus first (2 answered, 1 busy, 0 not answered); a talk bridge decides only when the status is unreadable. */
function outcomeOf(c: CallEvents, talking: boolean): CallOutcome | null {
  if (!c.mainHangup) return null;
  switch (numberField(c.mainHangup.body, 'CallStatus')) {
    case 2: return 'answered';
    case 1: return 'busy';
    case 0: return 'missed';
    default: return talking ? 'answered' : 'missed';
  }
}

function recordUrlOf(c: CallEvents): string | null {
  const hangups = [...(c.mainHangup ? [c.mainHangup] : []), ...c.all.filter((e) => e.type === 'hangup').reverse()];
  return hangups.map((e) => field(e.body, 'RecordUrl')).find((x) => x !== undefined) ?? null;
}

/** The facts of a call, or null while nothing in its record tells a call yet (only bridge events, say). */
export function callFacts(events: readonly CorrelationEvent[], opts: CallFactsOptions): CallFacts | null {
  const c = readCallEvents(events);
  if (!c) return null;
  const p = partiesOf(c);
  const t = talkersOf(c, p.customerPhone, p.direction === 'internal' ? p.caller : null);
  const outcome = outcomeOf(c, t.talking);
  const stage: CallStage = c.mainHangup ? 'ended' : t.talking ? 'talking' : 'ringing';
  const picked = stage === 'talking' || outcome === 'answered';
  const manager = !picked ? null
    : p.direction === 'internal' ? t.talked.filter((x) => x !== p.caller).at(-1) ?? null
      : t.servedBy.at(-1) ?? t.talked.at(-1) ?? (p.direction === 'out' ? p.caller : null);
  const times = timesOf(c, opts.timeZone);
  return {
    callRef: c.callRef,
    direction: p.direction,
    stage,
    outcome,
    customerPhone: p.customerPhone,
    line: p.line,
    rung: p.rung,
    talked: t.talked,
    servedBy: p.direction === 'internal' ? [] : t.servedBy,
    manager,
    caller: p.caller,
    callees: p.callees,
    start: times.start,
    end: times.end,
    durationSec: times.durationSec,
    timeSource: times.timeSource,
    recordUrl: recordUrlOf(c),
    hostCallType: p.hostCallType,
    dialSeen: c.all.some((e) => e.type === 'dial'),
    hangupSeen: c.mainHangup !== undefined,
    rooted: isRooted(c),
    uniqueIds: c.uniqueIds,
    bridgeUniqueIds: c.bridgeUniqueIds,
    eventCount: new Set(c.all.map((e) => e.key)).size,
  };
}
