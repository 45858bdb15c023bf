import { describe, expect, it } from 'vitest';
import { emulatedCall, PATTERN_IDS, sortedCopy, type EmulatedRecord } from '../../../test/callLog/emulatedCalls.js';
import type { ExpectedOutcome } from '../../../apps/sandbox/src/emulator/index.js';
import type { CorrelationEvent } from './event.js';
import { groupEvents } from './group.js';
import { eventNodes } from './nodes.js';
import { RING_WINDOW, softEdges, softFacts } from './softLinks.js';
import { fold, summaryOf } from './summary.js';

const start = new Date('2026-03-02T09:00:00Z');

describe.each([false, true])('every emulator pattern (Linkedid sent: %s)', (linkedid) => {
  it.each(PATTERN_IDS)('pattern %s makes exactly its records, each holding exactly its ids, with the expected summary', (id) => {
    for (const seed of [1, 2, 3]) {
      const { records, events } = emulatedCall(id, { seed, callIndex: 0, startTime: start, linkedid });
      const groups = groupEvents(events);
      expect(groups, `seed ${seed}`).toHaveLength(records.length);
      for (const record of records) {
        const keys = sortedCopy(record.events.map((e) => e.key));
        const group = groups.find((g) => g.some((e) => e.key === keys[0]))!;
        expect(sortedCopy(group.map((e) => e.key)), `seed ${seed}`).toEqual(keys);
        expectSummary(group, record.expected);
      }
    }
  });
});

/** The summary of a grouped record against the emulator's expectation for it. */
function expectSummary(events: CorrelationEvent[], x: ExpectedOutcome): void {
  const s = summaryOf(fold(events));
  expect(s.uniqueIds).toEqual(sortedCopy(x.uniqueIds));
  expect(s.bridgeUniqueIds).toEqual(sortedCopy(x.bridgeUniqueIds));
  expect(s.phones).toEqual(sortedCopy(x.externalPhones));
  expect(s.direction).toBe(x.direction);
  expect(s.answered).toBe(x.answered);
  expect(s.durationSec).toBe(x.durationSec);
  expect(s.startTime?.toISOString()).toBe(x.startedAt);
  expect(s.endTime?.toISOString()).toBe(x.endedAt);
  expect(s.eventCount).toBe(x.eventCount);
  const busy = events.some((e) => e.type === 'hangup' && e.body.CallStatus === 1);
  expect(s.status).toBe(x.answered ? 'answered' : busy ? 'busy' : x.direction === 'out' ? 'no_answer' : 'missed');
}

describe('grouping many calls at once', () => {
  it('splits every pattern running at the same time into exactly its own calls', () => {
    for (const linkedid of [false, true]) {
      for (const seed of [11, 12, 13, 14]) {
        const calls = PATTERN_IDS.map((id, i) => emulatedCall(id, {
          seed, callIndex: i, startTime: new Date(start.getTime() + (i % 7) * 900), linkedid, ownParties: true,
        }));
        expectExactRecords(calls.flatMap((c) => c.records));
      }
    }
  });

  it('keeps apart the calls of the same managers and customers that follow each other closely', () => {
    // The demo's shape: every call uses the same three extensions; 4-1 and 4-2 put one manager, or
    // one customer, in two calls seconds apart; each call starts 20 s after the one before.
    for (const linkedid of [false, true]) {
      const calls = PATTERN_IDS.map((id, i) => emulatedCall(id, { seed: 31, callIndex: i, startTime: new Date(start.getTime() + i * 20_000), linkedid }));
      expectExactRecords(calls.flatMap((c) => c.records));
    }
  });
});

/** Grouping the records' events together gives back exactly those records: no merge, no split. */
function expectExactRecords(records: readonly EmulatedRecord[]): void {
  const owner = new Map<string, number>();
  records.forEach((r, i) => r.events.forEach((e) => owner.set(e.key, i)));
  const groups = groupEvents(records.flatMap((r) => r.events));
  for (const g of groups) {
    const i = owner.get(g[0]!.key)!;
    expect(g.every((e) => owner.get(e.key) === i), `a group mixes records ${[...new Set(g.map((e) => owner.get(e.key)))].join(', ')}`).toBe(true);
    expect(g).toHaveLength(records[i]!.events.length);
  }
  expect(groups).toHaveLength(records.length);
}

const ev = (key: string, type: string, at: number, body: Record<string, unknown>): CorrelationEvent => ({ key, type, body, at });

describe('links', () => {
  it('a phone that rings and is never answered joins the call only through the ring rule', () => {
    const { events } = emulatedCall('1-4', { seed: 5, callIndex: 0, startTime: start });
    const ringing = events.find((e) => e.type === 'new_callerid')!;
    // No id of the ringing channel appears in the other events…
    const others = events.filter((e) => e !== ringing).flatMap((e) => eventNodes(e));
    expect(eventNodes(ringing).some((n) => others.includes(n))).toBe(false);
    // …yet the call is one, and it is two once the new channel shows up outside the ring window.
    expect(groupEvents(events)).toHaveLength(1);
    const late = events.map((e) => (e === ringing ? { ...e, at: e.at + RING_WINDOW.afterMs + 1000 } : e));
    expect(groupEvents(late)).toHaveLength(2);
  });

  it('joins a ringing channel whose caller id was received before its dial (a slow ingest lets requests overtake), within 5 s', () => {
    const { events } = emulatedCall('1-4', { seed: 5, callIndex: 0, startTime: start });
    const ringing = events.find((e) => e.type === 'new_callerid')!;
    const dial = events.find((e) => e.type === 'dial')!;
    const at = (ms: number) => events.map((e) => (e === ringing ? { ...e, at: dial.at - ms } : e));
    expect(groupEvents(at(1_700))).toHaveLength(1);
    expect(groupEvents(at(RING_WINDOW.beforeMs))).toHaveLength(1);
    expect(groupEvents(at(RING_WINDOW.beforeMs + 1000))).toHaveLength(2);
  });

  it('does not join a dial made from a phone while that phone sits in a bridge: no id is shared', () => {
    const t = start.getTime();
    const stay = [
      ev('a', 'bridge', t, { UniqueId: '1.1', BridgeUniqueid: 'B', CallerIDNum: '150' }),
      ev('b', 'bridge_leave', t + 60_000, { UniqueId: '1.1', BridgeUniqueid: 'B', CallerIDNum: '150' }),
    ];
    const dial = ev('c', 'dial', t + 30_000, { UniqueId: '1.9', CallerIDNum: '150', Phone: '375291234567', Extensions: ['150'], CallType: 1 });
    expect(groupEvents([...stay, dial])).toHaveLength(2);
    // The same dial is the call's once an id ties it in: the second line enters the call's bridge (a transfer).
    const joined = ev('d', 'bridge', t + 40_000, { UniqueId: '1.9', BridgeUniqueid: 'B', CallerIDNum: '150' });
    expect(groupEvents([...stay, dial, joined])).toHaveLength(1);
  });

  it('joins a queue\'s dial to the Local member channel it names (DestUniqueid), and a dial without one to nothing', () => {
    const queueDial = ev('q', 'dial', 0, { UniqueId: '1.1', DestUniqueid: '1.5', DestChannel: 'Local/152@from-queue-00000005;1', CallerIDNum: '375291234567', Extensions: ['152'], CallType: 0 });
    const local = ev('l', 'bridge', 9_000, { UniqueId: '1.5', BridgeUniqueid: 'B', Channel: 'Local/152@from-queue-00000005;1' });
    expect(groupEvents([queueDial, local])).toHaveLength(1);
    const { DestUniqueid: _d, ...plain } = queueDial.body;
    expect(groupEvents([{ ...queueDial, body: plain }, local])).toHaveLength(2);
  });

  it('joins the two halves of a Local channel pair', () => {
    const events = [
      ev('a', 'bridge', 0, { UniqueId: '1.1', BridgeUniqueid: 'B1', Channel: 'Local/151@transfer-0000002a;1' }),
      ev('b', 'bridge', 0, { UniqueId: '1.2', BridgeUniqueid: 'B2', Channel: 'Local/151@transfer-0000002a;2' }),
    ];
    expect(groupEvents(events)).toHaveLength(1);
  });

  it('treats a Linkedid as the UniqueId it names', () => {
    const events = [
      ev('a', 'new_callerid', 0, { UniqueId: '1.2', Linkedid: '1.1' }),
      ev('b', 'hangup', 9_000_000, { UniqueId: '1.1', CallStatus: 0, CallType: 0 }),
    ];
    expect(groupEvents(events)).toHaveLength(1);
  });

  it('states no soft fact for an event without a UniqueId and links a ring only within its key', () => {
    expect(softFacts(ev('a', 'bridge_create', 0, { BridgeUniqueid: 'B' }))).toEqual([]);
    const dial = ev('d', 'dial', 0, { UniqueId: '1.1', CallerIDNum: '375291234567', Extensions: ['150'], Phone: '375291234567', CallType: 0 });
    const other = ev('n', 'new_callerid', 500, { UniqueId: '1.2', CallerIDNum: '151', ConnectedLineNum: '375291234567' });
    expect(softEdges([...softFacts(dial), ...softFacts(other)])).toEqual([]);
  });
});
