/** The ids an event carries that tie it to a call: channel ids, bridge ids and the linked id. */
import type { AsteriskEvent } from './eventTypes.js';

export interface CallIds {
  uniqueId: string | null;
  bridgeUniqueId: string | null;
  linkedId: string | null;
}

export function callIds(event: AsteriskEvent): CallIds {
  return {
    uniqueId: event.UniqueId || null,
    bridgeUniqueId: event.BridgeUniqueid || null,
    linkedId: event.Linkedid || null,
  };
}

/** The id a call_events row is filed under: the channel id, or the bridge id for bridge-only events. */
export function primaryId(event: AsteriskEvent): string {
  return event.UniqueId || event.BridgeUniqueid || '';
}
