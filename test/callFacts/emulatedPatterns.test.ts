/**
 * callFacts over every emulator pattern against what the emulator knows the call was (ExpectedOutcome):
 * direction, answer, the host-clock duration, the call's ids, the manager among the final participants
 * — with and without BridgeNumChannels, and in shuffled orders.
 */
import { describe, expect, it } from 'vitest';
import { callFacts } from '@callpipe/call-facts';
import type { CorrelationEvent } from '@callpipe/correlation';
import { emulatedCall, PATTERN_IDS, seededRandom, shuffled, sortedCopy } from '../callLog/emulatedCalls.js';

const startTime = new Date('2026-03-02T10:00:00.400Z');
const tz = { timeZone: 'Europe/Minsk' };
const withoutCount = (events: CorrelationEvent[]): CorrelationEvent[] =>
  events.map((e) => {
    const { BridgeNumChannels: _n, ...body } = e.body;
    return { ...e, body };
  });

describe('callFacts over every emulator pattern', () => {
  for (const id of PATTERN_IDS) {
    it(`pattern ${id}: each record's direction, outcome, host duration, ids and manager as the emulator expects`, () => {
      const { records } = emulatedCall(id, { seed: 7, callIndex: 3, startTime });
      for (const { expected: x, events } of records) {
        const f = callFacts(events, tz)!;
        expect(f.stage).toBe('ended');
        expect(f.direction).toBe(x.direction);
        expect(f.outcome === 'answered').toBe(x.answered);
        expect(f.timeSource).toBe('host');
        // Host times have whole seconds: EndTime − StartTime is the emulator's duration within a second.
        expect(Math.abs(f.durationSec! - x.durationSec)).toBeLessThanOrEqual(1);
        expect(Math.abs(f.start!.at.getTime() - Date.parse(x.startedAt))).toBeLessThan(1000);
        expect(f.callRef).toBe(x.uniqueIds[0]);
        // Every id the facts name is the call's (a channel that sent no event of its own cannot be named).
        expect(x.uniqueIds).toEqual(expect.arrayContaining(f.uniqueIds));
        expect(sortedCopy(f.bridgeUniqueIds)).toEqual(sortedCopy(x.bridgeUniqueIds));
        if (x.direction === 'internal') expect(f.customerPhone).toBeNull();
        else expect(x.externalPhones).toContain(f.customerPhone);
        const finalExtension = x.finalParticipants.find((p) => /^\d{1,6}$/.test(p));
        if (x.answered && finalExtension && x.direction !== 'internal') expect(f.manager).toBe(finalExtension);
        if (x.answered && x.direction === 'internal') expect(x.finalParticipants).toContain(f.manager);
        if (!x.answered) expect(f.manager).toBeNull();
      }
    });

    it(`pattern ${id}: the same facts without BridgeNumChannels and in any order`, () => {
      const { records } = emulatedCall(id, { seed: 7, callIndex: 3, startTime });
      for (const { events } of records) {
        const expected = callFacts(events, tz);
        expect(callFacts(withoutCount(events), tz)).toEqual(expected);
        const random = seededRandom(31);
        for (let i = 0; i < 5; i += 1) expect(callFacts(shuffled(events, random), tz)).toEqual(expected);
      }
    });
  }
});
