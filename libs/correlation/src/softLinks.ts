/**
 * Links that no id carries, taken from what Asterisk does (see shared/reference/asterisk.md) and
 * bounded in time, so that they join the legs of one call and not two calls:
 *
 * - ring: a dial from P to callees c… and the `new_callerid` of a channel c that P rings
 *   (CallerIDNum c, ConnectedLineNum P) within a few seconds are one call. Without it a phone that
 *   rings and is never answered is an island: its only event carries only its own UniqueId.
 * - party: a dial made on behalf of P (CallerIDNum P) while a channel of P sits in a bridge belongs to
 *   that channel's call: a consultation the transferer starts from the same phone, a queue dialing
 *   its members for a waiting caller. The span is closed by the channel's own bridge and bridge_leave.
 *
 * Each rule is a relation between two facts of the same key, decided by the facts alone; so the
 * edges, and the calls they make, do not depend on the order the events are processed in.
 */
import { field, listField, numberField, type CorrelationEvent } from './event.js';

/** A `new_callerid` may be stamped up to 1 s before and 5 s after the dial that made its channel. */
export const RING_WINDOW = { beforeMs: 1000, afterMs: 5000 } as const;
/** A dial is matched to bridge stays that began at most this long before it (bounds the search). */
export const PARTY_MAX_STAY_MS = 12 * 3600 * 1000;

export type RingRole = 'offer' | 'answer';
export type PartyRole = 'dial' | 'enter' | 'leave';

export interface RingFact {
  rule: 'ring';
  role: RingRole;
  key: string;
  at: number;
  /** The UniqueId of the event that stated the fact. */
  node: string;
}

export interface PartyFact {
  rule: 'party';
  role: PartyRole;
  key: string;
  at: number;
  node: string;
  /** enter/leave: which stay in which bridge ("UniqueId|BridgeUniqueid"). */
  span?: string;
}

export type SoftFact = RingFact | PartyFact;

const ringKey = (caller: string, callee: string) => `ring|${caller}>${callee}`;
const partyKey = (party: string) => `party|${party}`;

/** Who places a dial: CallerIDNum, or for hosts that do not send it the outside Phone (inbound) or the first extension. */
function dialCaller(body: CorrelationEvent['body']): string | undefined {
  const callerId = field(body, 'CallerIDNum');
  if (callerId) return callerId;
  return numberField(body, 'CallType') === 0 ? field(body, 'Phone') : listField(body, 'Extensions')[0];
}

export function softFacts(e: CorrelationEvent): SoftFact[] {
  const node = field(e.body, 'UniqueId');
  if (!node) return [];
  const facts: SoftFact[] = [];
  if (e.type === 'dial') {
    const caller = dialCaller(e.body);
    if (!caller) return [];
    const callees = new Set([...listField(e.body, 'Extensions'), field(e.body, 'Phone')]);
    callees.delete(caller);
    for (const callee of callees) {
      if (callee) facts.push({ rule: 'ring', role: 'offer', key: ringKey(caller, callee), at: e.at, node });
    }
    facts.push({ rule: 'party', role: 'dial', key: partyKey(caller), at: e.at, node });
  } else if (e.type === 'new_callerid') {
    const callee = field(e.body, 'CallerIDNum');
    const caller = field(e.body, 'ConnectedLineNum');
    if (callee && caller && callee !== caller) facts.push({ rule: 'ring', role: 'answer', key: ringKey(caller, callee), at: e.at, node });
  } else if (e.type === 'bridge' || e.type === 'bridge_leave') {
    const party = field(e.body, 'CallerIDNum');
    const bridge = field(e.body, 'BridgeUniqueid');
    if (party && bridge) {
      facts.push({ rule: 'party', role: e.type === 'bridge' ? 'enter' : 'leave', key: partyKey(party), at: e.at, node, span: `${node}|${bridge}` });
    }
  }
  return facts;
}

/** Whether an offer (a dial) and an answer (a new channel's caller id) are one ring. */
export function ringMatches(offerAt: number, answerAt: number): boolean {
  return answerAt >= offerAt - RING_WINDOW.beforeMs && answerAt <= offerAt + RING_WINDOW.afterMs;
}

/** Whether a dial at `dialAt` falls inside a stay in a bridge from `enterAt` to `leaveAt` (stays are looked back on for at most PARTY_MAX_STAY_MS). */
export function partyMatches(dialAt: number, enterAt: number, leaveAt: number): boolean {
  return dialAt >= enterAt && dialAt <= leaveAt && dialAt - enterAt <= PARTY_MAX_STAY_MS;
}

/**
 * The soft facts that link to each other, as pairs of their nodes. For ring: offer × answer of
 * one key within the window. For party: a dial × a closed stay (an enter and a leave of one span;
 * a channel that entered the same bridge twice has the stay from any enter to any later leave).
 */
export function softEdges(facts: readonly SoftFact[]): [string, string][] {
  const byKey = new Map<string, SoftFact[]>();
  for (const f of facts) {
    const list = byKey.get(f.key);
    if (list) list.push(f);
    else byKey.set(f.key, [f]);
  }
  const edges: [string, string][] = [];
  for (const list of byKey.values()) {
    const offers = list.filter((f) => f.role === 'offer');
    for (const answer of list.filter((f) => f.role === 'answer')) {
      for (const offer of offers) if (ringMatches(offer.at, answer.at)) edges.push([offer.node, answer.node]);
    }
    const party = list.filter((f): f is PartyFact => f.rule === 'party');
    const dials = party.filter((f) => f.role === 'dial');
    if (dials.length === 0) continue;
    const leaves = party.filter((f) => f.role === 'leave');
    for (const enter of party.filter((f) => f.role === 'enter')) {
      for (const leave of leaves) {
        if (leave.span !== enter.span) continue;
        for (const dial of dials) if (partyMatches(dial.at, enter.at, leave.at)) edges.push([dial.node, enter.node]);
      }
    }
  }
  return edges;
}
