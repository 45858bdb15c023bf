import { describe, expect, it } from 'vitest';
import { callFacts } from '@callpipe/call-facts';
import type { CorrelationEvent } from '@callpipe/correlation';
import { rowOf, statusOfFacts } from '../callLog/foldRow.js';
import { EMPTY_FOLD } from '@callpipe/correlation';
import { callRowOf, customerOf } from './callRow.js';

const tz = { timeZone: 'Europe/Minsk' };
const ev = (type: string, body: Record<string, unknown>, at: number): CorrelationEvent => ({ key: `${type}-${at}`, type, body, at });
const SEED_HANGUP = {
  Token: '375293332255', CallStatus: '2', Phone: '152', ExternalInitiated: true, Trunk: '', Extensions: ['150'],
  UniqueId: '1759230684.16', StartTime: '', DateReceived: '2025-09-30 11:15:02', EndTime: '2025-09-30 11:15:12', CallType: 0,
};
const t0 = Date.parse('2025-10-01T09:00:00Z');
const inbound = [
  ev('start', { UniqueId: '1759309200.1', Phone: '375296254070', CallType: 0, Trunk: '0001363', StartTime: '2025-10-01 12:00:00' }, t0),
  ev('bridge', { UniqueId: '1759309200.1', BridgeUniqueid: 'b', CallerIDNum: '375296254070', ConnectedLineNum: '151' }, t0 + 5000),
  ev('hangup', { UniqueId: '1759309200.1', CallStatus: 2, CallType: 0, Phone: '375296254070', Extensions: ['150', '151'], StartTime: '2025-10-01 12:00:00', EndTime: '2025-10-01 12:01:05' }, t0 + 65_000),
];

describe('the calls row and the trace summary from the facts (pure)', () => {
  it('seed 004\'s hangup: phone 152 called extension 150, internal, answered, 10 s by the host clock', () => {
    const f = callFacts([ev('hangup', SEED_HANGUP, Date.now())], tz)!;
    expect(callRowOf(f)).toEqual({
      unique_id: '1759230684.16', phone: '152', extension: '150', call_type: 2, call_status: 2,
      date_received: new Date('2025-09-30T08:15:02Z'), date_end: new Date('2025-09-30T08:15:12Z'), duration: 10, record_url: null,
    });
    expect(customerOf(callRowOf(f)!)).toBeNull();
  });

  it('an inbound call: the customer, the extension that talked, and the customer key for the aggregates', () => {
    const row = callRowOf(callFacts(inbound, tz)!)!;
    expect(row).toMatchObject({ unique_id: '1759309200.1', phone: '375296254070', extension: '151', call_type: 0, call_status: 2, duration: 65 });
    expect(customerOf(row)).toBe('+375296254070');
  });

  it('no row before the call\'s own hangup', () => {
    expect(callRowOf(callFacts(inbound.slice(0, 2), tz)!)).toBeNull();
  });

  it('the trace row takes direction, status, host times and duration from the facts', () => {
    const f = callFacts(inbound, tz)!;
    expect(rowOf(EMPTY_FOLD, f)).toMatchObject({
      direction: 'in', status: 'answered', answered: true, duration_sec: 65,
      start_time: new Date('2025-10-01T09:00:00Z'), end_time: new Date('2025-10-01T09:01:05Z'),
    });
    expect(statusOfFacts(callFacts(inbound.slice(0, 2), tz)!)).toBe('active');
    const missedOut = callFacts([ev('dial', { UniqueId: '1.1', Phone: '375291112233', CallType: 1, Extensions: ['150'], CallerIDNum: '150' }, t0),
      ev('hangup', { UniqueId: '1.1', CallStatus: 0, CallType: 1, Phone: '375291112233', Extensions: ['150'], StartTime: '2025-10-01 12:00:00', EndTime: '2025-10-01 12:00:20' }, t0 + 20_000)], tz)!;
    expect(statusOfFacts(missedOut)).toBe('no_answer');
  });
});
