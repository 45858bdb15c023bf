import { describe, expect, it } from 'vitest';
import { renderCallMessage, viewOfCall } from '@callpipe/telegram';
import { emulatedCall, PATTERN_IDS, seededRandom, shuffled } from '../callLog/emulatedCalls.js';

const startTime = new Date('2026-03-02T10:00:00Z');

describe('viewOfCall over every emulator pattern', () => {
  for (const id of PATTERN_IDS) {
    it(`pattern ${id}: the final view is the ended call with the expected direction, outcome, phone and talk time`, () => {
      const { call, events } = emulatedCall(id, { seed: 7, callIndex: 0, startTime });
      const e = call.expected;
      const result = viewOfCall(events);
      expect(result?.stage).toBe('ended');
      const view = result!.view;
      expect(view.kind).toBe('hangup');
      if (view.kind !== 'hangup') return;
      expect(view.outcome === 'answered').toBe(e.answered);
      expect(Math.abs(view.durationSeconds - (e.answered ? e.talkSec : 0))).toBeLessThanOrEqual(1);
      if (e.direction === 'internal') {
        expect(view.scope).toBe('internal');
      } else {
        expect(view.scope).toBe('external');
        if (view.scope !== 'external') return;
        expect(view.direction).toBe(e.direction);
        expect(e.externalPhones).toContain(view.phone);
        expect(result!.phone).toBe(view.phone);
      }
    });

    it(`pattern ${id}: shuffled event orders give the same final view and text`, () => {
      const { events } = emulatedCall(id, { seed: 7, callIndex: 0, startTime });
      const expected = viewOfCall(events);
      const random = seededRandom(99);
      for (let i = 0; i < 5; i += 1) {
        const again = viewOfCall(shuffled(events, random));
        expect(again).toEqual(expected);
        expect(renderCallMessage(again!.view, {}, 'full')).toBe(renderCallMessage(expected!.view, {}, 'full'));
      }
    });
  }

  it('shows ringing before anyone talks and talking after a two-channel bridge, and nothing for bridge events alone', () => {
    const { events } = emulatedCall('1-3', { seed: 7, callIndex: 0, startTime });
    const byOrder = [...events].sort((a, b) => a.at - b.at);
    expect(viewOfCall(byOrder.slice(0, 2))?.stage).toBe('ringing');
    const bridged = byOrder.filter((e) => e.type !== 'hangup');
    expect(viewOfCall(bridged)?.stage).toBe('talking');
    expect(viewOfCall(byOrder.filter((e) => e.type.startsWith('bridge')))).toBeNull();
  });
});
