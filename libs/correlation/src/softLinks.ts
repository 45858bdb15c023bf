/**
 * The one link no id carries, taken from what Asterisk does (see shared/reference/asterisk.md) and
 * bounded in time, so that it joins the legs of one call and not two calls:
 *
 * - ring: a dial from P to callees c… and the `new_callerid` of a channel c that P rings
 *   (CallerIDNum c, ConnectedLineNum P) within a few seconds are one call. Without it a phone that
 *   rings and is never answered is an island: its only event carries only its own UniqueId. (A host
 *   that forwards AMI DialBegin's DestUniqueid joins them by id as well, see nodes.ts.)
 *
 * There is deliberately no link by "the same phone is busy in a bridge": a manager who holds one
 * customer and calls another from a second line makes two calls, and Asterisk gives them two
 * linkedids and no shared channel. A consultation that becomes a transfer is joined by the ids the
 * transfer's bridges share; one that does not is a call of its own.
 *
 * The rule is a relation between two facts of the same key, decided by the facts alone; so the
 * edges, and the calls they make, do not depend on the order the events are processed in.
 */
import { field, listField, numberField, type CorrelationEvent } from './event.js';

/**
 * A `new_callerid` may be stamped up to 5 s after the dial that made its channel, and up to 5 s before
 * it: the times are our receive times, and a host's requests overtake each other on their way in when
 * the ingest is slow (bench/pipeline at saturation: a dial stamped 1.7 s after its own channel's caller
 * id, one request waiting for a connection while the next took a free one; with 1 s, the call split).
 */
export const RING_WINDOW = { beforeMs: 5000, afterMs: 5000 } as const;

export type RingRole = 'offer' | 'answer';

export interface RingFact {
  rule: 'ring';
  role: RingRole;
  key: string;
  at: number;
  /** The UniqueId of the event that stated the fact. */
  node: string;
}

export type SoftFact = RingFact;

const ringKey = (caller: string, callee: string) => `ring|${caller}>${callee}`;

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
  } else if (e.type === 'new_callerid') {
    const callee = field(e.body, 'CallerIDNum');
    const caller = field(e.body, 'ConnectedLineNum');
    if (callee && caller && callee !== caller) facts.push({ rule: 'ring', role: 'answer', key: ringKey(caller, callee), at: e.at, node });
  }
  return facts;
}

/** Whether an offer (a dial) and an answer (a new channel's caller id) are one ring. */
export function ringMatches(offerAt: number, answerAt: number): boolean {
  return answerAt >= offerAt - RING_WINDOW.beforeMs && answerAt <= offerAt + RING_WINDOW.afterMs;
}

/** The soft facts that link to each other, as pairs of their nodes: offer × answer of one key within the window. */
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
  }
  return edges;
}
