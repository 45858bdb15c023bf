/**
 * The one set of facts about a call, derived once from the PBX's own fields by `callFacts`
 * (facts.ts). Telegram texts, the `calls` row, the trace summary and every CRM request read these
 * and nothing else: a second computation somewhere else is a bug waiting to disagree.
 */

/** in: the customer called us; out: a manager called the customer; internal: extension to extension. */
export type CallDirection = 'in' | 'out' | 'internal';

/** ringing < talking < ended; a consumer never shows a lower stage than one it already showed. */
export type CallStage = 'ringing' | 'talking' | 'ended';

/** How an ended call went: `CallStatus` first, bridges as support. */
export type CallOutcome = 'answered' | 'missed' | 'busy';

/** Where the call's times came from: the host's own fields, or our receive times when it sent none readable. */
export type TimeSource = 'host' | 'received';

export interface HostTime {
  /** The instant, converted once (here) from the host's local wall clock with the enterprise's time zone. */
  at: Date;
  /** The same moment as the PBX's local wall clock, "YYYY-MM-DD HH:MM:SS" (CRMs that want host time read this). */
  local: string;
}

export interface CallFacts {
  /** The call's first UniqueId (its oldest channel): `calls.unique_id`, RetailCRM callExternalId, CRM job ids. */
  callRef: string;
  /** null while nothing the host sent tells it yet. */
  direction: CallDirection | null;
  stage: CallStage;
  /** Set once the call ended. */
  outcome: CallOutcome | null;
  /** The customer's number, digits only (no "+"); null for internal calls. */
  customerPhone: string | null;
  /** The line / trunk the call used (`Trunk`), null when the host sent none. */
  line: string | null;
  /** Extensions rung, in first-seen order (every manager a popup names). */
  rung: string[];
  /** Extensions that talked (from bridge CallerIDNum/ConnectedLineNum pairs and the hangup), in the order they joined. */
  talked: string[];
  /**
   * External calls: the extensions that talked with the customer, in the order they took the call (more
   * than one = a transfer chain; a consultation that never reached the customer is not in it). Internal: [].
   */
  servedBy: string[];
  /** The extension that had the call last (the last talker; unanswered: null). CRM history's manager. */
  manager: string | null;
  /** Internal calls: the calling extension; outbound: the manager who dialled; inbound: null. */
  caller: string | null;
  /** Internal calls: the extensions called (the other side); otherwise []. */
  callees: string[];
  /** Host StartTime, else DateReceived; receive time only when neither is readable (see timeSource). */
  start: HostTime | null;
  /** Host EndTime; receive time of the last hangup only when unreadable. null until the call ended. */
  end: HostTime | null;
  /** end − start in whole seconds; null until both are known. */
  durationSec: number | null;
  timeSource: TimeSource;
  recordUrl: string | null;
  /** The host's CallType (0 in, 1 out, 2 internal) when it sent one. */
  hostCallType: number | null;
  /** A `dial` event is part of the record (a hangup without one needs a synthetic popup first). */
  dialSeen: boolean;
  /** The call's summary hangup (the one filed under callRef) is in the record: the call ended. */
  hangupSeen: boolean;
  /**
   * The record holds the event that opened the call (the inbound trunk `start`, a manager's dial from
   * the call's first channel, or the summary hangup), so callRef, customerPhone, direction and line are
   * the call's and stay. false: a piece of a call whose opening is not in yet (events arrived out of
   * order); its number and direction may be a transfer's. Rule and its one open case: rooted.ts.
   */
  rooted: boolean;
  uniqueIds: string[];
  bridgeUniqueIds: string[];
  eventCount: number;
}
