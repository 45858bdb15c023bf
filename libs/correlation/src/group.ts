/**
 * The reference grouping: events into calls as connected components of the graph whose nodes are
 * the ids (nodes.ts) and whose edges are the events themselves plus the soft links (softLinks.ts).
 * The call-log worker builds the same components incrementally in PostgreSQL; this batch form is
 * what its result is checked against.
 */
import type { CorrelationEvent } from './event.js';
import { eventNodes } from './nodes.js';
import { softEdges, softFacts } from './softLinks.js';

class DisjointSets {
  private readonly parent = new Map<string, string>();

  find(x: string): string {
    let root = this.parent.get(x) ?? x;
    if (!this.parent.has(x)) this.parent.set(x, x);
    while (root !== (this.parent.get(root) ?? root)) root = this.parent.get(root)!;
    // Path compression keeps later finds short.
    let cur = x;
    while (cur !== root) {
      const next = this.parent.get(cur)!;
      this.parent.set(cur, root);
      cur = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller root wins, so the structure does not depend on the order of unions.
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

/** Calls as lists of events (each list in input order), ordered by their first event in the input. */
export function groupEvents<E extends CorrelationEvent>(events: readonly E[]): E[][] {
  const sets = new DisjointSets();
  const anchor = (e: E) => eventNodes(e)[0] ?? `event:${e.key}`;
  for (const e of events) {
    const nodes = eventNodes(e);
    const first = anchor(e);
    sets.find(first);
    for (const n of nodes.slice(1)) sets.union(first, n);
  }
  for (const [a, b] of softEdges(events.flatMap(softFacts))) sets.union(a, b);
  const calls = new Map<string, E[]>();
  for (const e of events) {
    const root = sets.find(anchor(e));
    const list = calls.get(root);
    if (list) list.push(e);
    else calls.set(root, [e]);
  }
  return [...calls.values()];
}
