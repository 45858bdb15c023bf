/** The eight events Asterisk hosts post, and the fields our code reads from them. */

export const EVENT_TYPES = [
  'start', 'dial', 'bridge', 'hangup', 'bridge_create', 'bridge_leave', 'bridge_destroy', 'new_callerid',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** CallType as hosts send it: 0 inbound, 1 outbound, 2 internal. */
export type CallType = 0 | 1 | 2;

/**
 * A host's event body after validation (numbers sent as strings are coerced).
 * Only the fields our code reads are named; hosts' scripts differ and every other field is kept as sent.
 */
export interface AsteriskEvent {
  Token: string;
  UniqueId?: string;
  BridgeUniqueid?: string;
  Linkedid?: string;
  Phone?: string;
  CallType?: CallType;
  CallStatus?: number;
  Extensions?: string[];
  Trunk?: string;
  CallerIDNum?: string;
  CallerIDName?: string;
  ConnectedLineNum?: string;
  ConnectedLineName?: string;
  Channel?: string;
  StartTime?: string;
  DateReceived?: string;
  EndTime?: string;
  ExternalInitiated?: boolean;
  BridgeType?: string;
  BridgeTechnology?: string;
  BridgeNumChannels?: number;
  RecordUrl?: string;
  [extra: string]: unknown;
}

/** Where an event came from: posted live, or replayed from a host's own failure log. */
export type EventSource = 'live' | 'recovery';
export const EVENT_SOURCES: readonly EventSource[] = ['live', 'recovery'];
