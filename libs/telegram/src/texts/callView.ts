/**
 * What a call message is rendered from: a typed view of one event of a call, built by the telegram
 * processor from the event and the call's correlation, plus the enrichment looked up for it and the
 * recipient's role. The texts read nothing else, so they are pure and tested without I/O.
 */

/** full: everything; brief: no customer name, no line, managers by name without extension numbers. */
export type RecipientRole = 'full' | 'brief';

/** in: the customer called us (CallType 0); out: a manager called the customer (CallType 1). */
export type ExternalDirection = 'in' | 'out';

/** How a call ended: CallStatus 2 answered, 1 busy, anything else not answered. */
export type HangupOutcome = 'answered' | 'missed' | 'busy';

/**
 * Looked up for the message; any of it may be missing (a lookup failed or was too slow), and the
 * message is then sent without that field.
 */
export interface Enrichment {
  customerName?: string;
  /** Manager names by extension ("150" -> "Джуновый Джулай"). */
  managerNames?: Readonly<Record<string, string>>;
  /** The line's name by the call's trunk (gsm_lines / sip_lines). */
  lineName?: string;
}

interface ExternalBase {
  scope: 'external';
  direction: ExternalDirection;
  /** The customer's phone as the host sent it. */
  phone: string;
}

/** The first event of an inbound call: the trunk channel appears (extensions are rarely known yet). */
export interface ExternalStartView extends ExternalBase {
  kind: 'start';
  extensions: readonly string[];
}

/** Ringing: inbound, every extension rung at once (a ring group); outbound, the calling manager. */
export interface ExternalDialView extends ExternalBase {
  kind: 'dial';
  extensions: readonly string[];
}

/** Talking: the customer and one extension in a bridge; after a transfer, who handed the call over. */
export interface ExternalBridgeView extends ExternalBase {
  kind: 'bridge';
  extension: string;
  transferredFrom?: string;
}

/** The end of the call. */
export interface ExternalHangupView extends ExternalBase {
  kind: 'hangup';
  outcome: HangupOutcome;
  /** Answered: who talked last; otherwise every extension rung. */
  extensions: readonly string[];
  /** Talk time in seconds (answer to end); ignored unless answered. */
  durationSeconds: number;
  recordUrl?: string;
  /** Extensions the call passed through, in order, when it was transferred (["150", "151"]). */
  transfers?: readonly string[];
}

interface InternalBase {
  scope: 'internal';
  /** The calling extension. */
  caller: string;
}

/** An internal call rings (its start or dial): every extension rung. */
export interface InternalRingView extends InternalBase {
  kind: 'start' | 'dial';
  callees: readonly string[];
}

export interface InternalBridgeView extends InternalBase {
  kind: 'bridge';
  callee: string;
}

export interface InternalHangupView extends InternalBase {
  kind: 'hangup';
  outcome: HangupOutcome;
  /** Answered: who talked; otherwise every extension rung. */
  callees: readonly string[];
  durationSeconds: number;
  recordUrl?: string;
}

export type ExternalCallView = ExternalStartView | ExternalDialView | ExternalBridgeView | ExternalHangupView;
export type InternalCallView = InternalRingView | InternalBridgeView | InternalHangupView;
export type CallMessageView = ExternalCallView | InternalCallView;
