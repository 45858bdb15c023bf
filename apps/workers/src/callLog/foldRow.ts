/** A call's summary fold to and from its call_traces row. Pure. */
import { summaryOf, type CallFold } from '@callpipe/correlation';

export interface FoldRow {
  phones: string[];
  extensions: string[];
  unique_ids: string[];
  bridge_unique_ids: string[];
  call_types: number;
  answered: boolean;
  hangup_seen: boolean;
  busy_seen: boolean;
  start_time: Date | null;
  end_time: Date | null;
  event_count: number;
}

export function foldFromRow(r: FoldRow): CallFold {
  return {
    phones: r.phones, extensions: r.extensions, uniqueIds: r.unique_ids, bridgeUniqueIds: r.bridge_unique_ids,
    callTypes: r.call_types, answered: r.answered, hangupSeen: r.hangup_seen, busySeen: r.busy_seen,
    firstAt: r.start_time ? r.start_time.getTime() : null, lastAt: r.end_time ? r.end_time.getTime() : null,
    eventCount: r.event_count,
  };
}

/** Every column of call_traces the fold decides, the derived ones (direction, status, duration) included. */
export function rowFromFold(f: CallFold) {
  const s = summaryOf(f);
  return {
    phones: f.phones, extensions: f.extensions, unique_ids: f.uniqueIds, bridge_unique_ids: f.bridgeUniqueIds,
    call_types: f.callTypes, answered: f.answered, hangup_seen: f.hangupSeen, busy_seen: f.busySeen,
    start_time: s.startTime, end_time: s.endTime, event_count: f.eventCount,
    direction: s.direction, status: s.status, duration_sec: s.durationSec,
  };
}
