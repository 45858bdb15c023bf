import { describe, expect, it } from 'vitest';
import { emulatedCall, PATTERN_IDS, seededRandom, shuffled } from '../../../test/callLog/emulatedCalls.js';
import type { CorrelationEvent } from './event.js';
import { groupEvents } from './group.js';
import { eventNodes } from './nodes.js';
import { ringMatches, softFacts, type SoftFact } from './softLinks.js';
import { combine, contribution, EMPTY_FOLD, fold, type CallFold } from './summary.js';

const start = new Date('2026-03-02T09:00:00Z');

/** Folds a list by a random binary tree of combines: one of the ways partial records can meet. */
function randomTreeFold(folds: CallFold[], random: () => number): CallFold {
  let parts = [...folds];
  if (parts.length === 0) return EMPTY_FOLD;
  while (parts.length > 1) {
    const i = Math.floor(random() * (parts.length - 1));
    parts = [...parts.slice(0, i), combine(parts[i]!, parts[i + 1]!), ...parts.slice(i + 2)];
  }
  return parts[0]!;
}

/**
 * The call log's algorithm without the database: each event, in arrival order, finds the records
 * its ids and soft facts point to, merges them into the smallest record id and adds itself.
 */
class IncrementalLog {
  readonly callOf = new Map<string, string>();
  readonly folds = new Map<string, CallFold>();
  readonly members = new Map<string, string[]>();
  private readonly facts: SoftFact[] = [];

  apply(e: CorrelationEvent): void {
    const nodes = eventNodes(e);
    const mine = softFacts(e);
    const calls = new Set(nodes.flatMap((n) => (this.callOf.has(n) ? [this.callOf.get(n)!] : [])));
    for (const f of mine) for (const node of this.matches(f)) calls.add(this.callOf.get(node)!);
    const sorted = [...calls].sort();
    const target = sorted[0] ?? nodes[0]!;
    let acc = this.folds.get(target) ?? EMPTY_FOLD;
    const members = this.members.get(target) ?? [];
    for (const other of sorted.slice(1)) {
      acc = combine(acc, this.folds.get(other)!);
      members.push(...this.members.get(other)!);
      for (const [n, c] of this.callOf) if (c === other) this.callOf.set(n, target);
      this.folds.delete(other);
      this.members.delete(other);
    }
    for (const n of nodes) this.callOf.set(n, target);
    this.folds.set(target, combine(acc, contribution(e)));
    this.members.set(target, [...members, e.key]);
    this.facts.push(...mine);
  }

  private matches(f: SoftFact): string[] {
    const same = this.facts.filter((g) => g.key === f.key);
    return same.filter((g) => (f.role === 'offer' ? g.role === 'answer' && ringMatches(f.at, g.at) : g.role === 'offer' && ringMatches(g.at, f.at))).map((g) => g.node);
  }
}

describe('merge property — any order, any interleaving, same result', () => {
  it('a call\'s summary is the same for every permutation of its events and every tree of partial merges', () => {
    const random = seededRandom(20261121);
    for (const id of PATTERN_IDS) {
      const { events } = emulatedCall(id, { seed: 3, callIndex: 0, startTime: start });
      const expected = fold(events);
      for (let round = 0; round < 25; round += 1) {
        const order = shuffled(events, random);
        expect(fold(order), `${id} round ${round}`).toEqual(expected);
        expect(randomTreeFold(order.map(contribution), random), `${id} round ${round}`).toEqual(expected);
      }
    }
  });

  it('incremental merging in any arrival order, over calls interleaved at random, ends with the batch grouping', () => {
    const random = seededRandom(7);
    for (const linkedid of [false, true]) {
      const calls = PATTERN_IDS.map((id, i) => emulatedCall(id, { seed: 21, callIndex: i, startTime: new Date(start.getTime() + (i % 5) * 700), linkedid, ownParties: true }));
      const all = calls.flatMap((c) => c.events);
      const batch = groupEvents(all).map((g) => ({ keys: g.map((e) => e.key).sort(), fold: fold(g) }))
        .sort((a, b) => a.keys[0]!.localeCompare(b.keys[0]!));
      expect(batch).toHaveLength(calls.reduce((n, c) => n + c.call.records.length, 0));
      for (let round = 0; round < 20; round += 1) {
        const log = new IncrementalLog();
        for (const e of shuffled(all, random)) log.apply(e);
        const records = [...log.members].map(([id, keys]) => ({ keys: [...keys].sort(), fold: log.folds.get(id)! }))
          .sort((a, b) => a.keys[0]!.localeCompare(b.keys[0]!));
        expect(records, `linkedid ${linkedid} round ${round}`).toEqual(batch);
      }
    }
  });

  it('counts an event once and keeps sets sorted and free of duplicates', () => {
    const { events } = emulatedCall('2-18', { seed: 1, callIndex: 0, startTime: start });
    const f = fold(events);
    expect(f.eventCount).toBe(events.length);
    expect(f.uniqueIds).toEqual([...new Set(f.uniqueIds)].sort());
    expect(combine(f, EMPTY_FOLD)).toEqual(f);
  });
});
