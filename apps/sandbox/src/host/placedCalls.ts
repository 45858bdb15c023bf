/**
 * The emulated host's ledger of the calls it placed, with the records each must make, for the
 * correlation check: calls whose every event was acked, old enough for the pipeline to have caught
 * up, are checked; the newest calls are kept (a long demo does not grow without end).
 */
import type { GeneratedCall } from '../emulator/index.js';
import { tallyRecords, type ExpectedRecordIds, type RecordedIds, type Tally } from './tally.js';

interface Placed {
  records: ExpectedRecordIds[];
  /** When the last event was acked (epoch ms). */
  doneAt: number;
  delivered: boolean;
}

/** Calls kept for checking; older ones are forgotten (counted, not checked). */
const KEEP = 2_000;

export class PlacedCalls {
  private readonly calls: Placed[] = [];
  private placed = 0;

  add(call: GeneratedCall, callIndex: number, delivered: boolean, doneAt = Date.now()): void {
    this.placed += 1;
    const label = `${call.patternId} #${callIndex}`;
    this.calls.push({
      doneAt, delivered,
      records: call.records.map((r, i) => ({ label: i === 0 ? label : `${label} record ${i}`, ids: [...r.uniqueIds, ...r.bridgeUniqueIds] })),
    });
    if (this.calls.length > KEEP) this.calls.shift();
  }

  get count(): number {
    return this.placed;
  }

  /** Compares the delivered calls done at least `settleMs` ago with what the call log holds. */
  async tally(read: (ids: string[]) => Promise<RecordedIds>, settleMs: number, now = Date.now()): Promise<Tally> {
    const checked = this.calls.filter((c) => c.delivered && now - c.doneAt >= settleMs);
    const expected = checked.flatMap((c) => c.records);
    const recorded = await read(expected.flatMap((x) => x.ids));
    return tallyRecords(expected, recorded, this.placed, checked.length);
  }
}
