/**
 * Whether a record holds the event that opened its call, so that its first channel (callRef), customer
 * and direction are the call's and will not change as more events join. Events arrive in any order and
 * a record grows by joining others; until then a record may be a piece of a call, e.g. a transfer's
 * dial from the customer's channel (Phone: the mobile rung, not the customer) or a pickup's dial
 * (a younger channel than the call's first). Pure.
 *
 * The opening events, each filed under the call's first channel (callRef):
 * - the inbound trunk channel's `start` — the channel the call began with;
 * - a `dial` made by a manager's phone for a call it begins: CallType 1 (out) or 2 (internal) and a
 *   CallerIDNum that is an extension. Dials with CallType 0 (an inbound call ringing managers, a
 *   pickup) or from an outside number (the customer's channel being transferred) never open a call;
 * - the call's summary hangup (the host files it under the first channel and gives its Phone and CallType).
 *
 * One case stays open by nature: a manager's second-line call (a consultation) opens with such a dial
 * and is its own call until a transfer joins it to the customer's older call — nothing in the dial
 * tells the two apart. Consumers that keep per-call state must expect a rooted callRef to be absorbed
 * later (the CRM dispatch closes what it showed under it).
 */
import { field, isExternalNumber, numberField } from '@callpipe/correlation';
import { isExtension, type CallEvents } from './callEvents.js';

function opensCall(c: CallEvents, e: CallEvents['all'][number]): boolean {
  if (field(e.body, 'UniqueId') !== c.callRef) return false;
  if (e.type === 'start') return true;
  if (e.type !== 'dial') return false;
  const callType = numberField(e.body, 'CallType');
  const dialler = field(e.body, 'CallerIDNum');
  return (callType === 1 || callType === 2) && isExtension(dialler) && !isExternalNumber(dialler);
}

export function isRooted(c: CallEvents): boolean {
  return c.mainHangup !== undefined || c.all.some((e) => opensCall(c, e));
}
