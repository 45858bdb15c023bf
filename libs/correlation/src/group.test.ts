import { describe, expect, it } from 'vitest';
import { emulatedCall, PATTERN_IDS, sortedCopy } from '../../../test/callLog/emulatedCalls.js';
import type { CorrelationEvent } from './event.js';
import { groupEvents } from './group.js';
import { eventNodes } from './nodes.js';
import { RING_WINDOW, softEdges, softFacts } from './softLinks.js';
import { fold, summaryOf } from './summary.js';

const start = new Date('2026-03-02T09:00:00Z');

describe.each([false, true])('every emulator pattern (Linkedid sent: %s)', (linkedid) => {
  it.each(PATTERN_IDS)('pattern %s is one call holding exactly its ids, with the expected summary', (id) => {
    for (const seed of [1, 2, 3]) {
      const { call, events } = emulatedCall(id, { seed, callIndex: 0, startTime: start, linkedid });
      const groups = groupEvents(events);
      expect(groups, `seed ${seed}`).toHaveLength(1);
      const s = summaryOf(fold(groups[0]!));
      const x = call.expected;
      expect(s.uniqueIds).toEqual(sortedCopy(x.uniqueIds));
      expect(s.bridgeUniqueIds).toEqual(sortedCopy(x.bridgeUniqueIds));
      expect(s.phones).toEqual(sortedCopy(x.externalPhones));
      expect(s.direction).toBe(x.direction);
      expect(s.answered).toBe(x.answered);
      expect(s.durationSec).toBe(x.durationSec);
      expect(s.startTime?.toISOString()).toBe(x.startedAt);
      expect(s.endTime?.toISOString()).toBe(x.endedAt);
      expect(s.eventCount).toBe(x.eventCount);
      expect(s.status).toBe(x.answered ? 'answered' : events.some((e) => e.type === 'hangup' && e.body.CallStatus === 1) ? 'busy' : x.direction === 'out' ? 'no_answer' : 'missed');
    }
  });
});

describe('grouping many calls at once', () => {
  it('splits every pattern running at the same time into exactly its own calls', () => {
    for (const linkedid of [false, true]) {
      for (const seed of [11, 12, 13, 14]) {
        const calls = PATTERN_IDS.map((id, i) => emulatedCall(id, {
          seed, callIndex: i, startTime: new Date(start.getTime() + (i % 7) * 900), linkedid, ownParties: true,
        }));
        const owner = new Map<string, number>();
        calls.forEach((c, i) => c.events.forEach((e) => owner.set(e.key, i)));
        const groups = groupEvents(calls.flatMap((c) => c.events));
        expect(groups).toHaveLength(calls.length);
        for (const g of groups) {
          const i = owner.get(g[0]!.key)!;
          expect(g.every((e) => owner.get(e.key) === i)).toBe(true);
          expect(g).toHaveLength(calls[i]!.events.length);
        }
      }
    }
  });
});

const ev = (key: string, type: string, at: number, body: Record<string, unknown>): CorrelationEvent => ({ key, type, body, at });

describe('links', () => {
  it('a phone that rings and is never answered joins the call only through the ring rule', () => {
    const { events } = emulatedCall('1-4', { seed: 5, callIndex: 0, startTime: start });
    const ringing = events.find((e) => e.type === 'new_callerid')!;
    // No id of the ringing channel appears in any other event…
    const others = events.filter((e) => e !== ringing).flatMap((e) => eventNodes(e));
    expect(eventNodes(ringing).some((n) => others.includes(n))).toBe(false);
    // …yet the call is one, and it is two once the new channel shows up outside the ring window.
    expect(groupEvents(events)).toHaveLength(1);
    const late = events.map((e) => (e === ringing ? { ...e, at: e.at + RING_WINDOW.afterMs + 1000 } : e));
    expect(groupEvents(late)).toHaveLength(2);
  });

  it('joins a dial made from a phone that sits in a bridge, and not one made after it left', () => {
    const t = start.getTime();
    const stay = [
      ev('a', 'bridge', t, { UniqueId: '1.1', BridgeUniqueid: 'B', CallerIDNum: '150' }),
      ev('b', 'bridge_leave', t + 60_000, { UniqueId: '1.1', BridgeUniqueid: 'B', CallerIDNum: '150' }),
    ];
    const dialAt = (ms: number) => ev('c', 'dial', ms, { UniqueId: '1.9', CallerIDNum: '150', Phone: '151', Extensions: ['151'], CallType: 2 });
    expect(groupEvents([...stay, dialAt(t + 30_000)])).toHaveLength(1);
    expect(groupEvents([...stay, dialAt(t + 61_000)])).toHaveLength(2);
    // Without the leave the stay is open, and an open stay links nothing (it could still end before the dial).
    expect(groupEvents([stay[0]!, dialAt(t + 30_000)])).toHaveLength(2);
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
