import { validateEvent } from '@callpipe/events';
import { describe, expect, it } from 'vitest';
import { generateCall } from './generateCall.js';
import { PATTERNS } from './patterns/index.js';
import type { GenerateOptions, GeneratedCall } from './types.js';

const base: GenerateOptions = { token: '375293332255', seed: 42, startTime: new Date('2025-10-01T10:00:00Z') };
const all = (opts: Partial<GenerateOptions> = {}): GeneratedCall[] =>
  PATTERNS.map((p, i) => generateCall(p.id, { ...base, callIndex: i, ...opts }));

const idsIn = (call: GeneratedCall, record?: number) => {
  const events = call.events.filter((e) => record === undefined || e.record === record);
  return {
    uniqueIds: new Set(events.flatMap((e) => [e.body.UniqueId, e.body.DestUniqueid].filter((u): u is string => typeof u === 'string'))),
    bridges: new Set(events.flatMap((e) => (e.body.BridgeUniqueid ? [e.body.BridgeUniqueid] : []))),
  };
};
const allUniqueIds = (call: GeneratedCall) => call.records.flatMap((r) => r.uniqueIds);

describe('generateCall', () => {
  it.each(PATTERNS.map((p) => p.id))('pattern %s: every event passes the ingest schema', (id) => {
    for (const linkedid of [false, true]) {
      const call = generateCall(id, { ...base, includeLinkedid: linkedid });
      for (const e of call.events) {
        // validateEvent coerces in place; check a copy so the generated body stays as generated.
        const result = validateEvent(e.type, structuredClone(e.body));
        expect(result.ok, `${e.type} ${JSON.stringify(e.body)}`).toBe(true);
      }
    }
  });

  it('each expected record lists exactly the ids that appear in its events, and the records share none', () => {
    for (const call of all()) {
      call.records.forEach((x, r) => {
        const { uniqueIds, bridges } = idsIn(call, r);
        expect(new Set(x.uniqueIds), `${call.patternId} record ${r}`).toEqual(uniqueIds);
        expect(x.uniqueIds).toHaveLength(uniqueIds.size);
        expect(new Set(x.bridgeUniqueIds), call.patternId).toEqual(bridges);
        expect(x.bridgeUniqueIds).toHaveLength(bridges.size);
        expect(x.eventCount).toBe(call.events.filter((e) => e.record === r).length);
        expect(x.bridgeCount).toBe(bridges.size);
      });
      expect(call.records.reduce((n, x) => n + x.eventCount, 0)).toBe(call.events.length);
      expect(new Set(allUniqueIds(call)).size).toBe(idsIn(call).uniqueIds.size);
    }
  });

  it('no UniqueId or BridgeUniqueid is shared between two generated calls', () => {
    // Ids come from (seed, callIndex): a run numbers its calls, and another seed is another range.
    const calls = [
      ...all(), ...all({ seed: 43 }), ...all({ seed: 10_042 }), ...all({ seed: 2 ** 31 - 1 }),
      ...PATTERNS.map((p, i) => generateCall(p.id, { ...base, callIndex: 1000 + i })),
      ...PATTERNS.map((p, i) => generateCall(p.id, { ...base, callIndex: 61_000 + i })),
    ];
    const owner = new Map<string, string>();
    calls.forEach((call, n) => {
      const { uniqueIds, bridges } = idsIn(call);
      for (const id of [...uniqueIds, ...bridges]) {
        expect(owner.get(id), `${id} in calls ${owner.get(id)} and ${n}`).toBeUndefined();
        owner.set(id, String(n));
      }
    });
  });

  it('UniqueIds look like a host\'s: unix seconds, a dot, an increasing counter', () => {
    for (const call of all()) {
      const counters = allUniqueIds(call).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).map((u) => {
        expect(u).toMatch(/^\d{10}\.\d+$/);
        return Number(u.split('.')[1]);
      });
      expect(counters).toEqual([...counters].sort((a, b) => a - b));
      expect(call.expected.bridgeUniqueIds.every((b) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(b))).toBe(true);
    }
  });

  it('bridge_create comes before the first event of its bridge and bridge_destroy after the last', () => {
    for (const call of all()) {
      for (const bridge of call.expected.bridgeUniqueIds) {
        const positions = call.events.flatMap((e, i) => (e.body.BridgeUniqueid === bridge ? [{ i, type: e.type }] : []));
        expect(positions[0]?.type, call.patternId).toBe('bridge_create');
        expect(positions.at(-1)?.type, call.patternId).toBe('bridge_destroy');
        expect(positions.filter((p) => p.type === 'bridge_create')).toHaveLength(1);
        expect(positions.filter((p) => p.type === 'bridge_destroy')).toHaveLength(1);
        // Every channel that enters also leaves, before the bridge is destroyed.
        const inside = new Set<string>();
        for (const e of call.events.filter((ev) => ev.body.BridgeUniqueid === bridge)) {
          if (e.type === 'bridge') inside.add(e.body.UniqueId!);
          if (e.type === 'bridge_leave') expect(inside.delete(e.body.UniqueId!)).toBe(true);
          if (e.type === 'bridge_destroy') expect(inside.size).toBe(0);
        }
      }
    }
  });

  it('ids sit where hosts put them: no UniqueId on bridge_create/destroy, no BridgeUniqueid on hangup, dial and new_callerid', () => {
    for (const call of all()) {
      for (const e of call.events) {
        if (e.type === 'bridge_create' || e.type === 'bridge_destroy') expect(e.body.UniqueId).toBeUndefined();
        if (e.type === 'hangup' || e.type === 'dial' || e.type === 'new_callerid' || e.type === 'start') {
          expect(e.body.BridgeUniqueid).toBeUndefined();
        }
        if (e.type === 'bridge' || e.type === 'bridge_leave') {
          expect(e.body.UniqueId).toBeTruthy();
          expect(e.body.BridgeUniqueid).toBeTruthy();
        }
      }
      // The call's first dial and new_callerid come before any bridge event.
      const firstBridge = call.events.findIndex((e) => e.body.BridgeUniqueid !== undefined);
      const firstDial = call.events.findIndex((e) => e.type === 'dial');
      if (firstBridge >= 0) expect(firstDial).toBeLessThan(firstBridge);
      expect(call.events.filter((e) => e.type === 'hangup').length).toBeGreaterThanOrEqual(1);
      expect(call.events.at(-1)?.type).toBe('hangup');
    }
  });

  it('1-1 is the seed\'s simplest call, event for event', () => {
    const call = generateCall('1-1', base);
    expect(call.events.map((e) => e.type)).toEqual([
      'dial', 'new_callerid', 'bridge_create', 'bridge', 'bridge', 'bridge_leave', 'bridge_leave', 'bridge_destroy', 'hangup',
    ]);
    const [a, b] = call.expected.uniqueIds;
    const x = call.expected.bridgeUniqueIds[0];
    expect(call.events.map((e) => e.body.UniqueId ?? e.body.BridgeUniqueid)).toEqual([a, b, x, b, a, b, a, x, a]);
    expect(call.events.slice(3, 7).every((e) => e.body.BridgeUniqueid === x)).toBe(true);
  });

  it('a ring group is one dial naming every extension and one channel per ringing phone', () => {
    const call = generateCall('1-8', { ...base, extensions: ['150', '151', '152'] });
    const dials = call.events.filter((e) => e.type === 'dial');
    expect(dials).toHaveLength(1);
    expect([...(dials[0]!.body.Extensions ?? [])].sort()).toEqual(['150', '151', '152']);
    const ringing = call.events.filter((e) => e.type === 'new_callerid');
    expect(new Set(ringing.map((e) => e.body.UniqueId)).size).toBe(3);
    const answered = call.events.filter((e) => e.type === 'bridge').map((e) => e.body.UniqueId);
    expect(answered).toHaveLength(2);
  });

  it('summary hangups carry status, type, numbers and host-format times', () => {
    const cases: [string, number, number][] = [['1-1', 2, 1], ['1-3', 2, 0], ['1-4', 0, 0], ['1-5', 1, 0], ['1-6', 0, 1], ['1-7', 1, 1], ['3-1', 2, 2], ['3-2', 0, 2]];
    for (const [id, status, type] of cases) {
      const call = generateCall(id, base);
      const hangup = call.events.at(-1)!.body;
      expect(hangup.CallStatus, id).toBe(status);
      expect(hangup.CallType, id).toBe(type);
      expect(hangup.UniqueId).toBe(call.expected.uniqueIds[0]);
      expect(hangup.StartTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(hangup.EndTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(hangup.RecordUrl !== undefined).toBe(status === 2);
      if (type === 2) expect(hangup.Phone).toMatch(/^\d{3}$/);
      else expect(hangup.Phone).toMatch(/^375\d{9}$/);
      expect(hangup.ExternalInitiated).toBe(type === 0);
    }
    // Minsk time: 10:00Z is 13:00 on the host.
    expect(generateCall('1-1', base).events.at(-1)!.body.StartTime).toBe('2025-10-01 13:00:00');
  });

  it('the expected outcome describes the call', () => {
    const out = generateCall('1-1', { ...base, phones: ['375296254070'] }).expected;
    expect(out.direction).toBe('out');
    expect(out.answered).toBe(true);
    expect(out.externalPhones).toEqual(['375296254070']);
    expect(out.startedAt).toBe('2025-10-01T10:00:00.000Z');
    expect(out.talkSec).toBeGreaterThan(0);
    expect(out.durationSec).toBeGreaterThanOrEqual(out.talkSec);
    expect(out.finalParticipants).toContain('375296254070');
    expect(generateCall('1-4', base).expected).toMatchObject({ answered: false, talkSec: 0, finalParticipants: [], direction: 'in' });
    expect(generateCall('3-3', base).expected.externalPhones).toEqual([]);
    const transfer = generateCall('2-28', { ...base, phones: ['375296254070', '375291111111', '375292222222'] }).expected;
    expect(transfer.finalParticipants).toEqual(['375296254070', '375291111111']);
  });

  it('offsets start at 0 and never go back', () => {
    for (const call of all()) {
      expect(call.events[0]!.offsetMs).toBe(0);
      for (let i = 1; i < call.events.length; i += 1) {
        expect(call.events[i]!.offsetMs).toBeGreaterThan(call.events[i - 1]!.offsetMs);
      }
      const ends = call.records.map((x) => Date.parse(x.endedAt));
      expect(Math.max(...ends) - Date.parse(call.expected.startedAt)).toBe(call.events.at(-1)!.offsetMs);
    }
  });

  it('same seed, same output; another seed, other ids and numbers', () => {
    expect(all()).toEqual(all());
    const a = generateCall('2-18', base);
    const b = generateCall('2-18', { ...base, seed: 43 });
    expect(b.expected.uniqueIds).not.toEqual(a.expected.uniqueIds);
    expect(b.expected.externalPhones).not.toEqual(a.expected.externalPhones);
  });

  it('Linkedid is sent only when asked for, and is one of the call\'s own UniqueIds', () => {
    expect(all().every((c) => c.events.every((e) => e.body.Linkedid === undefined))).toBe(true);
    for (const call of all({ includeLinkedid: true })) {
      for (const e of call.events) {
        if (e.body.UniqueId) expect(call.records[e.record]!.uniqueIds).toContain(e.body.Linkedid);
        else expect(e.body.Linkedid).toBeUndefined();
      }
    }
    // An attended transfer brings two linkedid groups together.
    const linked = generateCall('2-4', { ...base, includeLinkedid: true });
    expect(new Set(linked.events.map((e) => e.body.Linkedid).filter(Boolean)).size).toBe(2);
  });

  it('uses the given numbers and extensions', () => {
    const call = generateCall('2-5', { ...base, phones: ['375296254070', '375291234567', '375297654321'], extensions: ['201', '202', '203'], uniqueIdBase: 500 });
    expect(call.expected.externalPhones).toEqual(['375296254070', '375291234567', '375297654321']);
    expect(call.expected.uniqueIds[0]).toMatch(/\.500$/);
    const exts = new Set(call.events.flatMap((e) => e.body.Extensions ?? []));
    expect([...exts].every((x) => ['201', '202', '203'].includes(x))).toBe(true);
  });

  it('rejects what it cannot generate', () => {
    expect(() => generateCall('9-9', base)).toThrow(/unknown pattern/);
    expect(() => generateCall('1-1', { ...base, extensions: ['150', '150', '151'] })).toThrow(/three distinct/);
    expect(() => generateCall('1-1', { ...base, callIndex: -1 })).toThrow(/callIndex/);
    expect(() => generateCall('1-1', { ...base, startTime: new Date('nope') })).toThrow(/startTime/);
  });
});
