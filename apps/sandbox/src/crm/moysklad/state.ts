/**
 * The sandbox MoySklad's memory, per account: employees with extensions, counterparties, and calls
 * with their card events. Card rules as the Phone API describes them: a call's events are ordered by
 * `sequence`; an event at or below the last one seen for that extension is ignored, and HIDE_ALL
 * raises a floor no later SHOW below it can pass — so a SHOW retried after the close stays hidden.
 */

export interface MsEmployee {
  id: string;
  name: string;
  extension: string;
}

export interface MsCounterparty {
  id: string;
  name: string;
  phone: string;
  email?: string;
  ownerId?: string;
}

export interface MsCard {
  extension: string;
  visible: boolean;
  /** Highest sequence applied for this extension. */
  seq: number;
  sinceMs: number;
  /** STARTTIME seen: the card's timer runs (the call was answered). */
  startedAtMs?: number;
}

export interface MsCall {
  id: string;
  externalId: string;
  number: string;
  isIncoming: boolean;
  startTime: string;
  endTime?: string;
  /** ms */
  duration?: number;
  extension?: string;
  employeeId?: string;
  recordUrl: string[];
  comment?: string;
  createdAtMs: number;
  cards: Map<string, MsCard>;
  /** Sequence of the last HIDE_ALL (0: none). */
  hideAllSeq: number;
  /** Events as received, in order: what a test asserts about ordering. */
  events: { eventType: string; extension?: string; sequence: number; applied: boolean; atMs: number }[];
}

export interface MsAccount {
  name: string;
  phoneKey: string | null;
  jsonToken: string | null;
  /** An extension first seen in an event becomes an employee (accounts made on first request). */
  autoEmployees: boolean;
  employees: MsEmployee[];
  counterparties: MsCounterparty[];
  calls: MsCall[];
  /** Cards taken down: extension, number, when; newest last. */
  hidden: { extension: string; number: string; atMs: number }[];
}

export function newAccount(name: string, over: Partial<MsAccount> = {}): MsAccount {
  return { name, phoneKey: null, jsonToken: null, autoEmployees: true, employees: [], counterparties: [], calls: [], hidden: [], ...over };
}

export const digits = (s: string): string => s.replace(/\D/g, '');

/** A counterparty whose phone ends with the same 9+ digits. */
export function counterpartyByPhone(a: MsAccount, phone: string): MsCounterparty | undefined {
  const d = digits(phone);
  if (d.length < 5) return undefined;
  const tail = d.slice(-Math.min(9, d.length));
  return a.counterparties.find((c) => digits(c.phone).endsWith(tail));
}

export type EventOutcome = 'applied' | 'stale';

/** Applies one card event (see the rules above); the outcome says whether it changed anything. */
export function applyEvent(a: MsAccount, call: MsCall, e: { eventType: string; extension?: string; sequence: number }, now: number): EventOutcome {
  let applied = false;
  if (e.eventType === 'HIDE_ALL') {
    if (e.sequence > call.hideAllSeq) {
      call.hideAllSeq = e.sequence;
      for (const card of call.cards.values()) {
        if (card.seq < e.sequence) {
          if (card.visible) a.hidden.push({ extension: card.extension, number: call.number, atMs: now });
          card.visible = false;
          card.seq = e.sequence;
        }
      }
      applied = true;
    }
  } else if (e.extension) {
    const card = call.cards.get(e.extension);
    const floor = Math.max(card?.seq ?? 0, e.eventType === 'SHOW' ? call.hideAllSeq : 0);
    if (e.sequence > floor) {
      const next: MsCard = card ?? { extension: e.extension, visible: false, seq: 0, sinceMs: now };
      next.seq = e.sequence;
      if (e.eventType === 'SHOW') {
        if (!next.visible) next.sinceMs = now;
        next.visible = true;
      } else if (e.eventType === 'HIDE') {
        if (next.visible) a.hidden.push({ extension: e.extension, number: call.number, atMs: now });
        next.visible = false;
      } else if (e.eventType === 'STARTTIME') next.startedAtMs = now;
      call.cards.set(e.extension, next);
      applied = true;
    }
  }
  call.events.push({ eventType: e.eventType, ...(e.extension ? { extension: e.extension } : {}), sequence: e.sequence, applied, atMs: now });
  return applied ? 'applied' : 'stale';
}
