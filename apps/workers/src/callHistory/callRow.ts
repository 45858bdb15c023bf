/**
 * A call's `calls` row (seed 004's columns) from its facts, and what the row adds to the customer's
 * aggregates. Pure: the write (writeCall.ts) only applies it.
 */
import type { CallFacts } from '@callpipe/call-facts';

export interface CallRow {
  unique_id: string;
  phone: string | null;
  extension: string | null;
  /** 0 inbound, 1 outbound, 2 internal (seed 004). */
  call_type: number | null;
  /** 2 answered, 1 busy, 0 not answered. */
  call_status: number;
  date_received: Date | null;
  date_end: Date | null;
  duration: number | null;
  record_url: string | null;
}

const CALL_TYPE = { in: 0, out: 1, internal: 2 } as const;
const CALL_STATUS = { answered: 2, busy: 1, missed: 0 } as const;

/** null until the call ended: history holds finished calls only. */
export function callRowOf(f: CallFacts): CallRow | null {
  if (f.stage !== 'ended' || !f.hangupSeen) return null;
  const internal = f.direction === 'internal';
  return {
    unique_id: f.callRef,
    // Internal calls as the host's own hangup puts them (seed 004: Phone "152" called Extensions ["150"]):
    // phone = the calling extension, extension = the one who talked (else the one called).
    phone: internal ? f.caller : f.customerPhone,
    extension: internal ? f.manager ?? f.callees[0] ?? null : f.manager ?? f.rung.at(-1) ?? f.caller,
    call_type: f.direction === null ? f.hostCallType : CALL_TYPE[f.direction],
    call_status: CALL_STATUS[f.outcome ?? 'missed'],
    date_received: f.start?.at ?? null,
    date_end: f.end?.at ?? null,
    duration: f.durationSec,
    record_url: f.recordUrl,
  };
}

/** The customer a row counts for: external calls only, "+digits" as `customers.phone_e164` holds it. */
export function customerOf(row: Pick<CallRow, 'phone' | 'call_type'>): string | null {
  if (row.call_type === 2 || !row.phone) return null;
  const digits = row.phone.replace(/\D/g, '');
  return digits.length >= 7 ? `+${digits}` : null;
}
