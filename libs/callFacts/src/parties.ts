/**
 * Who the call is between: its direction, the customer's number, the line, the extensions rung, and
 * for internal calls the caller and the callees. Read from the call's own events first (its summary
 * hangup, then its first channel's start/dial), so a consultation's fields never decide. Pure.
 */
import { field, numberField } from '@callpipe/correlation';
import type { CallDirection } from './types.js';
import { extensionsOf, isExtension, outsideNumber, uniq, type CallEvents } from './callEvents.js';

export interface Parties {
  direction: CallDirection | null;
  customerPhone: string | null;
  line: string | null;
  rung: string[];
  caller: string | null;
  callees: string[];
  hostCallType: number | null;
}

/**
 * No outside number anywhere: extension to extension, whatever CallType says (seed 004's real hangup
 * is CallType 0 with Phone "152"). Otherwise the call's own CallType: 0 (or a start) in, 1 out.
 */
function directionOf(c: CallEvents, customerPhone: string | null, hostCallType: number | null): CallDirection | null {
  const saysInternal = c.telling.some((e) => numberField(e.body, 'CallType') === 2 || isExtension(field(e.body, 'Phone')));
  if (customerPhone === null) return saysInternal || hostCallType !== null ? 'internal' : null;
  const own = c.telling.map((e) => numberField(e.body, 'CallType')).find((t) => t === 0 || t === 1);
  if (own === 0 || (own === undefined && c.telling.some((e) => e.type === 'start'))) return 'in';
  if (own === 1) return 'out';
  return c.telling.some((e) => e.type === 'start') ? 'in' : 'internal';
}

/** The calling extension of an internal call: the dialling channel's CallerIDNum, else a Phone that is not among the callees. */
function internalCaller(c: CallEvents): string | null {
  const ringing = c.telling.filter((e) => e.type !== 'hangup');
  for (const e of ringing) {
    const cid = field(e.body, 'CallerIDNum');
    if (isExtension(cid)) return cid;
  }
  for (const e of [...ringing, ...c.telling.filter((x) => x.type === 'hangup')]) {
    const phone = field(e.body, 'Phone');
    if (isExtension(phone) && !extensionsOf(e).includes(phone)) return phone;
  }
  return c.mainHangup ? extensionsOf(c.mainHangup)[0] ?? null : null;
}

export function partiesOf(c: CallEvents): Parties {
  const customerPhone = c.telling.map((e) => outsideNumber(e, 'Phone')).find((x) => x !== undefined) ?? null;
  const hostCallType = c.telling.map((e) => numberField(e.body, 'CallType')).find((x) => x !== undefined) ?? null;
  const direction = directionOf(c, customerPhone, hostCallType);
  const line = c.telling.map((e) => field(e.body, 'Trunk')).find((x) => x !== undefined) ?? null;
  // Rung in the order the host rang them: dials (and starts) by time, then what only the hangup lists.
  const byTime = c.all.filter((e) => e.type === 'start' || e.type === 'dial' || e.type === 'hangup')
    .sort((a, b) => Number(a.type === 'hangup') - Number(b.type === 'hangup'));
  const listed = uniq(byTime.flatMap(extensionsOf));
  if (direction !== 'internal') {
    const dialler = c.telling.find((e) => e.type === 'dial' || e.type === 'start');
    const cid = dialler ? field(dialler.body, 'CallerIDNum') : undefined;
    const caller = direction === 'out' ? (isExtension(cid) ? cid : listed[0] ?? null) : null;
    return { direction, customerPhone, line, rung: listed, caller, callees: [], hostCallType };
  }
  const caller = internalCaller(c);
  const callees = listed.filter((x) => x !== caller);
  // An internal call whose only hint is the callee's Phone (the emulator's dial: Phone = Extensions = callee).
  for (const e of c.telling) {
    const phone = field(e.body, 'Phone');
    if (isExtension(phone) && phone !== caller && !callees.includes(phone)) callees.push(phone);
  }
  return { direction, customerPhone: null, line, rung: callees, caller, callees, hostCallType };
}
