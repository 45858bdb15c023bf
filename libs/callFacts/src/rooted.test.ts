import { describe, expect, it } from 'vitest';
import type { CorrelationEvent } from '@callpipe/correlation';
import { callFacts } from './facts.js';

const tz = { timeZone: 'Europe/Minsk' };
const CUSTOMER = '375296254070';
const MOBILE = '375291112233';
let n = 0;
const ev = (type: string, body: Record<string, unknown>, at = 1000 + n): CorrelationEvent =>
  ({ key: `k${(n += 1)}-${type}`, type, body: { Token: 't', ...body }, at });

const start = ev('start', { UniqueId: '1700000000.1', Phone: CUSTOMER, CallerIDNum: CUSTOMER, CallType: 0, Trunk: '0001363' });
const firstDial = ev('dial', { UniqueId: '1700000000.1', Phone: CUSTOMER, CallType: 0, Extensions: ['150'], Trunk: '0001363', CallerIDNum: CUSTOMER });
/** A blind transfer of the customer to a mobile: the customer's channel dials again, Phone is the mobile. */
const transferDial = ev('dial', { UniqueId: '1700000000.1', Phone: MOBILE, CallType: 0, Extensions: ['150'], Trunk: '0001363', CallerIDNum: CUSTOMER }, 90_000);
const hangup = ev('hangup', {
  UniqueId: '1700000000.1', CallStatus: 2, CallType: 0, Phone: CUSTOMER, Extensions: ['150'], Trunk: '0001363',
  StartTime: '2025-10-01 12:00:00', DateReceived: '2025-10-01 12:00:05', EndTime: '2025-10-01 12:03:00',
}, 200_000);
const facts = (...events: CorrelationEvent[]) => callFacts(events, tz)!;

describe('rooted: the record holds the event that opened its call', () => {
  it('an inbound call is rooted by its start, and keeps the customer whatever else arrived first', () => {
    expect(facts(firstDial).rooted).toBe(false);
    expect(facts(transferDial)).toMatchObject({ rooted: false, customerPhone: MOBILE });
    expect(facts(transferDial, start)).toMatchObject({ rooted: true, customerPhone: CUSTOMER, direction: 'in' });
    expect(facts(start).rooted).toBe(true);
  });

  it('the summary hangup roots a call (its Phone and CallType are the call\'s)', () => {
    expect(facts(transferDial, hangup)).toMatchObject({ rooted: true, customerPhone: CUSTOMER, direction: 'in', hangupSeen: true });
  });

  it('a manager\'s outbound dial from the call\'s first channel roots it; the customer\'s channel dialling out does not', () => {
    const out = ev('dial', { UniqueId: '1700000100.5', Phone: CUSTOMER, CallType: 1, Extensions: ['151'], Trunk: '0001363', CallerIDNum: '151' });
    expect(facts(out)).toMatchObject({ rooted: true, direction: 'out', customerPhone: CUSTOMER, caller: '151' });
    // The customer of an outbound call transferred to a mobile: the remote channel dials, CallerIDNum is the customer.
    const fromCustomer = ev('dial', { UniqueId: '1700000100.6', Phone: MOBILE, CallType: 1, Extensions: ['151'], Trunk: '0001363', CallerIDNum: CUSTOMER });
    expect(facts(fromCustomer).rooted).toBe(false);
    expect(facts(fromCustomer, out)).toMatchObject({ rooted: true, callRef: '1700000100.5', customerPhone: CUSTOMER });
  });

  it('a pickup (CallType 0 from an extension) and a dial without CallType never open a call', () => {
    expect(facts(ev('dial', { UniqueId: '1700000000.7', Phone: CUSTOMER, CallType: 0, Extensions: ['152'], Trunk: '0001363', CallerIDNum: '152' })).rooted).toBe(false);
    expect(facts(ev('dial', { UniqueId: '1700000000.8', Phone: CUSTOMER, Extensions: ['152'], CallerIDNum: '152' })).rooted).toBe(false);
  });

  it('a dial is an opening only when its channel is the record\'s first: an older Linkedid means the call began elsewhere', () => {
    const consultJoined = ev('dial', { UniqueId: '1700000000.9', Linkedid: '1700000000.1', Phone: '152', CallType: 2, Extensions: ['152'], CallerIDNum: '150' });
    expect(facts(consultJoined)).toMatchObject({ callRef: '1700000000.1', rooted: false });
  });

  it('rooted does not depend on arrival order', () => {
    const events = [start, firstDial, transferDial, hangup];
    for (const order of [events, [...events].reverse(), [hangup, start, transferDial, firstDial]]) expect(facts(...order).rooted).toBe(true);
  });
});
