/**
 * Call facts → Bitrix24 telephony.externalCall.* parameters, and Bitrix24 answers → what we need. Pure.
 *
 * The call is registered once when it rings (`register` with SHOW=1 opens the card of the first
 * manager; Bitrix24 answers the same CALL_ID for the same call within 30 minutes, which makes a
 * retried register harmless), the other managers rung get `show`, the hangup `hide`s every card and
 * `finish` writes the call into the CRM activity with its duration and status code.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { present, record, textOrNumber as str } from '../answers.js';
import type { Bitrix24Settings } from './settings.js';

export type ExternalFacts = CallFacts & { direction: 'in' | 'out'; customerPhone: string };

/** Bitrix24's TYPE: 1 outgoing, 2 incoming. */
export const B24_TYPE = { out: 1, in: 2 } as const;

/** STATUS_CODE of finish: SIP-like codes Bitrix24 knows (200 talked, 304 missed, 486 busy). */
export const B24_STATUS = { answered: '200', missed: '304', busy: '486' } as const;

/** Who a request is about: a Bitrix24 user id when `user_extensions` knows the extension, else its inner phone. */
export type B24User = { USER_ID: number } | { USER_PHONE_INNER: string };

export function userOf(s: Pick<Bitrix24Settings, 'userByExtension'>, extension: string): B24User {
  const id = s.userByExtension.get(extension);
  return id && /^\d+$/.test(id) ? { USER_ID: Number(id) } : { USER_PHONE_INNER: extension };
}

/** The Bitrix24 user ids of these extensions, once each (show/hide take ids only). */
export function userIds(s: Pick<Bitrix24Settings, 'userByExtension'>, extensions: readonly string[]): number[] {
  const out: number[] = [];
  for (const ext of extensions) {
    const id = s.userByExtension.get(ext);
    if (id && /^\d+$/.test(id) && !out.includes(Number(id))) out.push(Number(id));
  }
  return out;
}

/** ISO-8601 with an explicit offset and no fraction: what CALL_START_DATE accepts. */
export function b24Date(at: Date): string {
  return `${at.toISOString().slice(0, 19)}+00:00`;
}

export interface RegisterParams {
  PHONE_NUMBER: string;
  TYPE: 1 | 2;
  CALL_START_DATE?: string;
  CRM_CREATE: 0 | 1;
  SHOW: 0 | 1;
  LINE_NUMBER?: string;
  EXTERNAL_CALL_ID: string;
  USER_ID?: number;
  USER_PHONE_INNER?: string;
}

/** register for the first manager (`show`: open their card now; history of a call never shown: 0). */
export function registerParams(facts: ExternalFacts, s: Pick<Bitrix24Settings, 'userByExtension' | 'crmCreate'>, extension: string, show: boolean): RegisterParams {
  const start = facts.start?.at ?? facts.end?.at;
  return {
    ...userOf(s, extension),
    PHONE_NUMBER: facts.customerPhone,
    TYPE: B24_TYPE[facts.direction],
    ...(start ? { CALL_START_DATE: b24Date(start) } : {}),
    CRM_CREATE: s.crmCreate ? 1 : 0,
    SHOW: show ? 1 : 0,
    ...(facts.line ? { LINE_NUMBER: facts.line } : {}),
    EXTERNAL_CALL_ID: facts.callRef,
  };
}

/** Whom the call is registered for: the first manager rung, else who talked, else who dialled out. */
export function registrant(facts: CallFacts, managers: readonly string[] = []): string | null {
  return managers[0] ?? facts.rung[0] ?? facts.manager ?? facts.caller ?? null;
}

export interface FinishParams {
  CALL_ID: string;
  DURATION: number;
  STATUS_CODE: string;
  RECORD_URL?: string;
  USER_ID?: number;
  USER_PHONE_INNER?: string;
}

/** finish: the manager who talked (else the one the call was registered for), host duration, status code, recording. */
export function finishParams(facts: CallFacts, s: Pick<Bitrix24Settings, 'userByExtension'>, callId: string, fallbackExtension: string): FinishParams {
  const outcome = facts.outcome ?? (facts.talked.length > 0 ? 'answered' : 'missed');
  return {
    CALL_ID: callId,
    ...userOf(s, facts.manager ?? fallbackExtension),
    DURATION: outcome === 'answered' ? facts.durationSec ?? 0 : 0,
    STATUS_CODE: B24_STATUS[outcome],
    ...(facts.recordUrl ? { RECORD_URL: facts.recordUrl } : {}),
  };
}

// ---- answers

/** CALL_ID of register's `{result: {CALL_ID}}`. */
export function readCallId(body: unknown): string | undefined {
  return str(record(record(body)?.result)?.CALL_ID);
}

export interface B24Entity {
  type: string;
  id?: string;
  name: string;
  assignedId?: string;
  assignedInner?: string;
}

/** The first entity of searchCrmEntities (`{result: [...]}`, best first); null when none. */
export function readFirstEntity(body: unknown): B24Entity | null {
  const list = record(body)?.result;
  const e = Array.isArray(list) ? record(list[0]) : null;
  const name = str(e?.NAME);
  if (!e || !name) return null;
  const assigned = record(e.ASSIGNED_BY);
  const id = str(e.CRM_ENTITY_ID);
  const assignedId = str(e.ASSIGNED_BY_ID) ?? str(assigned?.ID);
  const assignedInner = str(assigned?.USER_PHONE_INNER);
  return { type: str(e.CRM_ENTITY_TYPE) ?? 'CONTACT', name, ...present({ id, assignedId, assignedInner }) };
}
