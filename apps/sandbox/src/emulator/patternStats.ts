/** Counts a generated call's shape from its events alone, the way the old system's pattern table was made. */
import { isExternalNumber } from './numbers.js';
import type { GeneratedCall, PatternStats } from './types.js';

export function patternStats(call: Pick<GeneratedCall, 'events'>): PatternStats {
  const uniqueIds = new Set<string>();
  const bridges = new Set<string>();
  const phones = new Set<string>();
  for (const { body } of call.events) {
    if (body.UniqueId) uniqueIds.add(body.UniqueId);
    // A dial's DestUniqueid names a channel too (a queue's Local member channel).
    if (typeof body.DestUniqueid === 'string' && body.DestUniqueid) uniqueIds.add(body.DestUniqueid);
    if (body.BridgeUniqueid) bridges.add(body.BridgeUniqueid);
    if (body.Phone && isExternalNumber(body.Phone)) phones.add(body.Phone);
  }
  return { events: call.events.length, uniqueIds: uniqueIds.size, bridges: bridges.size, phones: phones.size };
}
