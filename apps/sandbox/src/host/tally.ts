/**
 * The demo's correlation check: the emulator knows which records every call it placed must make;
 * the call log says which record holds each id. Comparing the two, per expected record: an exact
 * match (one record, holding exactly its ids), a split (its ids in two or more records), a false
 * merge (a record that also holds ids of another expected record), or missing (no id recorded yet).
 * Pure: the ids the call log holds are passed in.
 */

/** One record a placed call must make. */
export interface ExpectedRecordIds {
  /** "pattern #callIndex" or "… record r" for the second record of a pattern. */
  label: string;
  ids: readonly string[];
}

/** What the call log holds for the ids asked about: the record of each id, and every id of those records. */
export interface RecordedIds {
  recordOf: ReadonlyMap<string, string>;
  idsOf: ReadonlyMap<string, readonly string[]>;
}

export interface Tally {
  /** Calls the host placed (sent completely), and those old enough to be checked. */
  callsPlaced: number;
  callsChecked: number;
  /** Records the checked calls must make (a call makes one, or two for 4-x and consultations that stayed apart). */
  expectedRecords: number;
  /** Distinct call-log records holding ids of the checked calls. */
  records: number;
  exactMatches: number;
  /** Call-log records holding ids of two or more expected records. */
  falseMerges: number;
  /** Expected records whose ids sit in two or more call-log records. */
  splitCalls: number;
  /** Expected records none of whose ids is recorded (yet). */
  missing: number;
  /** A few labels of each kind of miss, to look them up on the trace page. */
  examples: { falseMerges: string[]; splitCalls: string[]; missing: string[] };
}

const EXAMPLES = 5;

/** Call-log ids that are not channel or bridge ids (the Local pair node). */
const isGraphOnly = (id: string) => id.startsWith('local:');

export function tallyRecords(expected: readonly ExpectedRecordIds[], recorded: RecordedIds, callsPlaced: number, callsChecked: number): Tally {
  const ownerOf = new Map<string, number>();
  expected.forEach((x, i) => x.ids.forEach((id) => ownerOf.set(id, i)));
  const t: Tally = {
    callsPlaced, callsChecked, expectedRecords: expected.length, records: 0, exactMatches: 0, falseMerges: 0, splitCalls: 0, missing: 0,
    examples: { falseMerges: [], splitCalls: [], missing: [] },
  };
  const note = (list: string[], label: string) => { if (list.length < EXAMPLES) list.push(label); };
  const holders = new Set<string>();
  for (const x of expected) {
    const mine = new Set(x.ids.flatMap((id) => { const r = recorded.recordOf.get(id); return r === undefined ? [] : [r]; }));
    mine.forEach((r) => holders.add(r));
    if (mine.size === 0) {
      t.missing += 1;
      note(t.examples.missing, x.label);
    } else if (mine.size > 1) {
      t.splitCalls += 1;
      note(t.examples.splitCalls, x.label);
    } else {
      const held = (recorded.idsOf.get([...mine][0]!) ?? []).filter((id) => !isGraphOnly(id));
      if (held.length === x.ids.length && held.every((id) => x.ids.includes(id))) t.exactMatches += 1;
    }
  }
  t.records = holders.size;
  for (const record of holders) {
    const owners = new Set((recorded.idsOf.get(record) ?? []).flatMap((id) => { const o = ownerOf.get(id); return o === undefined ? [] : [o]; }));
    if (owners.size > 1) {
      t.falseMerges += 1;
      note(t.examples.falseMerges, [...owners].map((o) => expected[o]!.label).join(' + '));
    }
  }
  return t;
}

/** One line for a log or a terminal. */
export function tallyLine(t: Tally): string {
  return `calls placed ${t.callsPlaced} (checked ${t.callsChecked}), expected records ${t.expectedRecords}, call-log records ${t.records}, `
    + `exact matches ${t.exactMatches}, false merges ${t.falseMerges}, split calls ${t.splitCalls}, missing ${t.missing}`;
}
