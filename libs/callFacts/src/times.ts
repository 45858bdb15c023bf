/**
 * When the call started and ended, by the PBX's clock: start = StartTime, else DateReceived (the
 * seed's real hangup sends StartTime ""); end = EndTime of the call's summary hangup; duration = end −
 * start. Our receive times stand in only for a time the host did not send readably. Pure.
 */
import type { CorrelationEvent } from '@callpipe/correlation';
import type { HostTime, TimeSource } from './types.js';
import { parseHostTime, receivedTime } from './hostTime.js';
import type { CallEvents } from './callEvents.js';

export interface CallTimes {
  start: HostTime;
  end: HostTime | null;
  durationSec: number | null;
  timeSource: TimeSource;
}

const hostField = (e: CorrelationEvent | undefined, name: string, timeZone: string): HostTime | null =>
  e ? parseHostTime(e.body[name], timeZone) : null;

export function timesOf(c: CallEvents, timeZone: string): CallTimes {
  const h = c.mainHangup;
  const starts = c.telling.filter((e) => e.type === 'start');
  const hostStart = hostField(h, 'StartTime', timeZone)
    ?? starts.map((e) => hostField(e, 'StartTime', timeZone)).find((t) => t !== null)
    ?? hostField(h, 'DateReceived', timeZone);
  const start = hostStart ?? receivedTime(c.all[0]!.at, timeZone);
  const hostEnd = hostField(h, 'EndTime', timeZone);
  const end = h ? hostEnd ?? receivedTime(h.at, timeZone) : null;
  const durationSec = end ? Math.max(0, Math.round((end.at.getTime() - start.at.getTime()) / 1000)) : null;
  const timeSource: TimeSource = hostStart !== null && (h === undefined || hostEnd !== null) ? 'host' : 'received';
  return { start, end, durationSec, timeSource };
}
