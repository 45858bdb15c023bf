import { describe, expect, it } from 'vitest';
import type { CorrelationEvent } from '@callpipe/correlation';
import { callFacts } from './facts.js';

const tz = { timeZone: 'Europe/Minsk' };
let n = 0;
const ev = (type: string, body: Record<string, unknown>, at: number, seq?: number): CorrelationEvent =>
  ({ key: `k${(n += 1)}-${type}`, type, body: { Token: '375293332255', ...body }, at, ...(seq === undefined ? {} : { seq }) });

/** Seed 004's real hangup body, as the host sent it. */
const SEED_HANGUP = {
  Token: '375293332255', CallStatus: '2', Phone: '152', ExternalInitiated: true, Trunk: '', Extensions: ['150'],
  UniqueId: '1759230684.16', StartTime: '', DateReceived: '2025-09-30 11:15:02', EndTime: '2025-09-30 11:15:12', CallType: 0,
};

/** A permutation generator small enough for every order of a short call. */
function* permutations<T>(xs: readonly T[]): Generator<T[]> {
  if (xs.length <= 1) { yield [...xs]; return; }
  for (let i = 0; i < xs.length; i += 1) {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) yield [xs[i]!, ...rest];
  }
}

describe('callFacts on seed 004\'s real hangup body', () => {
  const received = Date.parse('2025-09-30T08:20:00Z'); // delivered five minutes late: our clock must not matter
  const facts = callFacts([ev('hangup', SEED_HANGUP, received)], tz)!;

  it('times come from the host: StartTime "" gives DateReceived; duration = EndTime − DateReceived', () => {
    expect(facts.start?.local).toBe('2025-09-30 11:15:02');
    expect(facts.start?.at.toISOString()).toBe('2025-09-30T08:15:02.000Z');
    expect(facts.end?.local).toBe('2025-09-30 11:15:12');
    expect(facts.durationSec).toBe(10);
    expect(facts.timeSource).toBe('host');
  });

  it('Phone "152" is an extension, so CallType 0 notwithstanding the call is internal: 152 → 150, answered, 150 talked', () => {
    expect(facts).toMatchObject({
      callRef: '1759230684.16', direction: 'internal', stage: 'ended', outcome: 'answered', customerPhone: null,
      caller: '152', callees: ['150'], manager: '150', hostCallType: 0, hangupSeen: true, dialSeen: false,
    });
    expect(facts.talked).toContain('150');
  });
});

describe('callFacts: who talked, without BridgeNumChannels', () => {
  const t0 = Date.parse('2025-10-01T09:00:00Z');
  /** An inbound call from a customer rung on 150 and 151, answered by 151; host times in Minsk. */
  const inbound = (withCount: boolean): CorrelationEvent[] => {
    const count = (k: number) => (withCount ? { BridgeNumChannels: k } : {});
    const b = 'b-1';
    return [
      ev('start', { UniqueId: '1759309200.1', Phone: '375296254070', CallType: 0, Trunk: '0001363', StartTime: '2025-10-01 12:00:00' }, t0),
      ev('dial', { UniqueId: '1759309200.1', Phone: '375296254070', CallType: 0, Extensions: ['150', '151'], Trunk: '0001363' }, t0 + 100),
      ev('bridge_create', { BridgeUniqueid: b, BridgeType: 'basic', ...count(0) }, t0 + 5000),
      ev('bridge', { UniqueId: '1759309200.3', BridgeUniqueid: b, CallerIDNum: '151', ConnectedLineNum: '', BridgeType: 'basic', ...count(1) }, t0 + 5010),
      ev('bridge', { UniqueId: '1759309200.1', BridgeUniqueid: b, CallerIDNum: '375296254070', ConnectedLineNum: '151', BridgeType: 'basic', ...count(2) }, t0 + 5020),
      ev('bridge_leave', { UniqueId: '1759309200.1', BridgeUniqueid: b, CallerIDNum: '375296254070', ConnectedLineNum: '151', ...count(1) }, t0 + 65_000),
      ev('hangup', {
        UniqueId: '1759309200.1', CallStatus: 2, CallType: 0, Phone: '375296254070', Extensions: ['150', '151'], Trunk: '0001363',
        StartTime: '2025-10-01 12:00:00', DateReceived: '2025-10-01 12:00:05', EndTime: '2025-10-01 12:01:05', RecordUrl: 'https://r.example/1.mp3',
      }, t0 + 65_100),
    ];
  };

  it('the same talker, outcome and duration with and without the field', () => {
    const withIt = callFacts(inbound(true), tz)!;
    const without = callFacts(inbound(false), tz)!;
    expect(without).toMatchObject({
      direction: 'in', customerPhone: '375296254070', line: '0001363', rung: ['150', '151'], talked: ['151'], servedBy: ['151'],
      manager: '151', outcome: 'answered', durationSec: 65, recordUrl: 'https://r.example/1.mp3',
    });
    const { eventCount: _a, ...a } = withIt;
    const { eventCount: _b, ...b } = without;
    expect(b).toEqual(a);
  });

  it('talking before the hangup, ringing before the bridge pair', () => {
    const events = inbound(false);
    expect(callFacts(events.slice(0, 2), tz)?.stage).toBe('ringing');
    const talking = callFacts(events.slice(0, 5), tz)!;
    expect(talking).toMatchObject({ stage: 'talking', manager: '151', outcome: null, end: null, durationSec: null });
  });

  it('an answered hangup without any bridge names the last extension it lists', () => {
    const events = inbound(false).filter((e) => !e.type.startsWith('bridge'));
    expect(callFacts(events, tz)).toMatchObject({ manager: '151', servedBy: ['151'], outcome: 'answered' });
  });

  it('bridges alone tell no call yet', () => {
    expect(callFacts(inbound(false).filter((e) => e.type.startsWith('bridge')), tz)).toBeNull();
  });

  it('every arrival order of a call gives the same facts', () => {
    const events = inbound(false).filter((e) => e.type !== 'bridge_create');
    const expected = callFacts(events, tz);
    let orders = 0;
    for (const order of permutations(events)) {
      expect(callFacts(order, tz)).toEqual(expected);
      orders += 1;
    }
    expect(orders).toBe(720);
  });

  it('a replay burst (one receive time for every event) still orders by the ingest sequence', () => {
    const ordered = inbound(false);
    const burst = ordered.map((e, i) => ({ ...e, at: t0 + 600_000, seq: 1000 + i }));
    const { eventCount: _x, ...live } = callFacts(ordered, tz)!;
    const { eventCount: _y, ...replayed } = callFacts([...burst].reverse(), tz)!;
    expect(replayed).toEqual(live);
  });

  it('a missed and a busy call: CallStatus decides, nobody is the manager', () => {
    const base = inbound(false).filter((e) => !e.type.startsWith('bridge'));
    const withStatus = (s: number) => base.map((e) => (e.type === 'hangup' ? { ...e, key: `${e.key}-${s}`, body: { ...e.body, CallStatus: s } } : e));
    expect(callFacts(withStatus(0), tz)).toMatchObject({ outcome: 'missed', manager: null, talked: [] });
    expect(callFacts(withStatus(1), tz)).toMatchObject({ outcome: 'busy', manager: null });
  });

  it('receive times stand in only when the host sent none readable, and the facts say so', () => {
    const events = inbound(false).map((e) => ({ ...e, body: { ...e.body, StartTime: '', DateReceived: 'n/a', EndTime: '' } }));
    const f = callFacts(events, tz)!;
    expect(f.timeSource).toBe('received');
    expect(f.start?.at.getTime()).toBe(t0);
    expect(f.end?.at.getTime()).toBe(t0 + 65_100);
    expect(f.durationSec).toBe(65);
    expect(f.start?.local).toBe('2025-10-01 12:00:00');
  });
});

describe('callFacts: an internal call as seed 004 describes it', () => {
  const t0 = Date.parse('2025-10-02T07:00:00Z');
  const b = 'b-int';
  const events = [
    ev('start', { UniqueId: '1759388400.7', Phone: '150', Extensions: ['152'], CallType: 2, StartTime: '2025-10-02 10:00:00' }, t0),
    ev('bridge_create', { BridgeUniqueid: b }, t0 + 4000),
    ev('bridge', { UniqueId: '1759388400.8', BridgeUniqueid: b, CallerIDNum: '152', ConnectedLineNum: '' }, t0 + 4010),
    ev('bridge', { UniqueId: '1759388400.7', BridgeUniqueid: b, CallerIDNum: '150', ConnectedLineNum: '152' }, t0 + 4020),
    ev('bridge_leave', { UniqueId: '1759388400.7', BridgeUniqueid: b, CallerIDNum: '150', ConnectedLineNum: '152' }, t0 + 34_000),
    ev('bridge_destroy', { BridgeUniqueid: b }, t0 + 34_010),
    ev('hangup', {
      UniqueId: '1759388400.7', CallStatus: 2, CallType: 2, Phone: '150', Extensions: ['152'],
      StartTime: '2025-10-02 10:00:00', DateReceived: '2025-10-02 10:00:04', EndTime: '2025-10-02 10:00:34',
    }, t0 + 34_100),
  ];

  it('internal, 150 → 152, both talked, 34 s by the host clock', () => {
    expect(callFacts(events, tz)).toMatchObject({
      direction: 'internal', caller: '150', callees: ['152'], rung: ['152'], talked: ['152', '150'], manager: '152',
      servedBy: [], customerPhone: null, outcome: 'answered', stage: 'ended', durationSec: 34, hostCallType: 2,
    });
  });

  it('while it rings and while they talk', () => {
    expect(callFacts(events.slice(0, 1), tz)).toMatchObject({ direction: 'internal', stage: 'ringing', caller: '150', callees: ['152'] });
    expect(callFacts(events.slice(0, 4), tz)).toMatchObject({ stage: 'talking', manager: '152' });
  });
});

describe('callFacts: the call\'s own hangup decides, not a consultation\'s', () => {
  const t0 = Date.parse('2025-10-03T09:00:00Z');
  const main = '1759482000.1';
  const consult = '1759482030.5';
  const events = [
    ev('start', { UniqueId: main, Phone: '375291112233', CallType: 0, StartTime: '2025-10-03 12:00:00' }, t0),
    ev('dial', { UniqueId: main, Phone: '375291112233', CallType: 0, Extensions: ['150'] }, t0 + 50),
    ev('bridge', { UniqueId: main, BridgeUniqueid: 'b1', CallerIDNum: '375291112233', ConnectedLineNum: '150' }, t0 + 4000),
    ev('dial', { UniqueId: consult, Phone: '151', CallType: 2, Extensions: ['151'], CallerIDNum: '150' }, t0 + 30_000),
    ev('bridge', { UniqueId: consult, BridgeUniqueid: 'b2', CallerIDNum: '150', ConnectedLineNum: '151' }, t0 + 33_000),
    ev('hangup', { UniqueId: consult, CallStatus: 2, CallType: 2, Phone: '151', Extensions: ['150', '151'], StartTime: '2025-10-03 12:00:30', EndTime: '2025-10-03 12:00:50' }, t0 + 50_000),
  ];

  it('a consultation that hung up does not end the customer\'s call, and its partner is no manager of it', () => {
    expect(callFacts(events, tz)).toMatchObject({ callRef: main, stage: 'talking', direction: 'in', manager: '150', servedBy: ['150'], talked: ['150', '151'] });
  });

  it('the summary hangup ends it with its own times', () => {
    const ended = callFacts([...events, ev('hangup', {
      UniqueId: main, CallStatus: 2, CallType: 0, Phone: '375291112233', Extensions: ['150'], StartTime: '2025-10-03 12:00:00', EndTime: '2025-10-03 12:02:00',
    }, t0 + 120_000)], tz);
    expect(ended).toMatchObject({ stage: 'ended', outcome: 'answered', durationSec: 120, manager: '150' });
  });
});
