import { describe, expect, it } from 'vitest';
import { callFacts } from '@callpipe/call-facts';
import type { CorrelationEvent } from '@callpipe/correlation';
import { renderCallMessage, viewOfCall, type CallViewResult } from '@callpipe/telegram';
import type { ExpectedOutcome } from '../../apps/sandbox/src/emulator/index.js';
import { emulatedCall, PATTERN_IDS, seededRandom, shuffled } from '../callLog/emulatedCalls.js';

const startTime = new Date('2026-03-02T10:00:00Z');
const tz = { timeZone: 'Europe/Minsk' };
const view = (events: readonly CorrelationEvent[]) => {
  const facts = callFacts(events, tz);
  return facts && viewOfCall(facts);
};

describe('viewOfCall over every emulator pattern', () => {
  for (const id of PATTERN_IDS) {
    it(`pattern ${id}: the final view is the ended call with the expected direction, outcome, phone and host duration`, () => {
      const { records } = emulatedCall(id, { seed: 7, callIndex: 0, startTime });
      for (const { expected: e, events } of records) expectFinal(e, view(events));
    });

    it(`pattern ${id}: shuffled event orders give the same final view and text`, () => {
      const { records } = emulatedCall(id, { seed: 7, callIndex: 0, startTime });
      const random = seededRandom(99);
      for (const { events } of records) {
        const expected = view(events);
        for (let i = 0; i < 5; i += 1) {
          const again = view(shuffled(events, random));
          expect(again).toEqual(expected);
          expect(renderCallMessage(again!.view, {}, 'full')).toBe(renderCallMessage(expected!.view, {}, 'full'));
        }
      }
    });
  }

  function expectFinal(e: ExpectedOutcome, result: CallViewResult | null): void {
    expect(result?.stage).toBe('ended');
    const v = result!.view;
    expect(v.kind).toBe('hangup');
    if (v.kind !== 'hangup') return;
    expect(v.outcome === 'answered').toBe(e.answered);
    // The facts' duration: the PBX's EndTime − StartTime (whole seconds), the same number `calls` holds.
    expect(Math.abs(v.durationSeconds - e.durationSec)).toBeLessThanOrEqual(1);
    if (e.direction === 'internal') {
      expect(v.scope).toBe('internal');
    } else {
      expect(v.scope).toBe('external');
      if (v.scope !== 'external') return;
      expect(v.direction).toBe(e.direction);
      expect(e.externalPhones).toContain(v.phone);
      expect(result!.phone).toBe(v.phone);
    }
  }

  it('shows ringing before anyone talks and talking after a two-channel bridge, and nothing for bridge events alone', () => {
    const { events } = emulatedCall('1-3', { seed: 7, callIndex: 0, startTime });
    const byOrder = [...events].sort((a, b) => a.at - b.at);
    expect(view(byOrder.slice(0, 2))?.stage).toBe('ringing');
    const bridged = byOrder.filter((e) => e.type !== 'hangup');
    expect(view(bridged)?.stage).toBe('talking');
    expect(view(byOrder.filter((e) => e.type.startsWith('bridge')))).toBeNull();
  });

  it('seed 004\'s internal call: "🛎️ Внутренний звонок", "🔗 Разговор (внутр.)", "✅ Завершен (внутр.) …, 0:30"', () => {
    const t0 = Date.parse('2025-10-02T07:00:00Z');
    const ev = (type: string, body: Record<string, unknown>, at: number): CorrelationEvent => ({ key: `${type}-${at}`, type, body: { Token: 't', ...body }, at });
    const start = ev('start', { UniqueId: '1759388400.7', Phone: '150', Extensions: ['152'], CallType: 2, StartTime: '2025-10-02 10:00:00' }, t0);
    const bridges = [
      ev('bridge', { UniqueId: '1759388400.8', BridgeUniqueid: 'b', CallerIDNum: '152', ConnectedLineNum: '' }, t0 + 4000),
      ev('bridge', { UniqueId: '1759388400.7', BridgeUniqueid: 'b', CallerIDNum: '150', ConnectedLineNum: '152' }, t0 + 4010),
    ];
    const hangup = ev('hangup', { UniqueId: '1759388400.7', CallStatus: 2, CallType: 2, Phone: '150', Extensions: ['152'], StartTime: '2025-10-02 10:00:00', EndTime: '2025-10-02 10:00:30' }, t0 + 30_000);
    const names = { managerNames: { 150: 'Джуновый Джулай', 152: 'Августовская Августа' } };
    const text = (events: CorrelationEvent[]) => renderCallMessage(view(events)!.view, names, 'full');
    expect(text([start])).toBe('🛎️ Внутренний звонок\nДжуновый Джулай (доб. 150) → Августовская Августа (доб. 152)');
    expect(text([start, ...bridges])).toBe('🔗 Разговор (внутр.): Джуновый Джулай (доб. 150) ↔ Августовская Августа (доб. 152)');
    expect(text([start, ...bridges, hangup])).toBe('✅ Завершен (внутр.): Джуновый Джулай (доб. 150) ↔ Августовская Августа (доб. 152), 0:30');
  });
});
