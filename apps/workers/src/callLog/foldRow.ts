/**
 * A call's call_traces row: the fold (ids, phones, extensions, event count: commutative, merged with
 * the record) and, once the record tells a call, the summary the call facts give — direction, status,
 * host start/end and duration — so /trace, /search, Telegram and `calls` say the same. Pure.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { summaryOf, type CallFold, type CallStatus } from '@callpipe/correlation';

/** Every column of call_traces the fold decides, the derived ones (direction, status, duration) included. */
function rowFromFold(f: CallFold) {
  const s = summaryOf(f);
  return {
    phones: f.phones, extensions: f.extensions, unique_ids: f.uniqueIds, bridge_unique_ids: f.bridgeUniqueIds,
    call_types: f.callTypes, answered: f.answered, hangup_seen: f.hangupSeen, busy_seen: f.busySeen,
    start_time: s.startTime, end_time: s.endTime, event_count: f.eventCount,
    direction: s.direction, status: s.status, duration_sec: s.durationSec,
  };
}

/** The trace status of a call by its facts: active until its summary hangup, then how it ended. */
export function statusOfFacts(f: CallFacts): CallStatus {
  if (f.stage !== 'ended') return 'active';
  if (f.outcome === 'answered') return 'answered';
  if (f.outcome === 'busy') return 'busy';
  return f.direction === 'out' ? 'no_answer' : 'missed';
}

/** The row to write: the fold's columns, the summary from the facts when there are any (else the fold's own). */
export function rowOf(fold: CallFold, facts: CallFacts | null) {
  const r = rowFromFold(fold);
  if (!facts) return r;
  return {
    ...r,
    direction: facts.direction,
    answered: facts.outcome === 'answered' || facts.stage === 'talking',
    status: statusOfFacts(facts),
    start_time: facts.start?.at ?? r.start_time,
    end_time: facts.end?.at ?? null,
    duration_sec: facts.durationSec,
  };
}
