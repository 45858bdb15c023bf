/**
 * The events jobs a workers process holds at once are stored and applied to the call log together
 * (../callLog/applyBatch.ts: one transaction per batch), then the after-entry steps run once per call
 * the batch touched, not once per event. The call-log queue's other entries (Telegram sends, CRM
 * attempts) join the same batches: an entry applied on its own would hold its enterprise's key
 * shared and make this process's batches of that enterprise wait or defer (in the Telegram phase of
 * bench/pipeline a third of the events had such an entry next to them). BullMQ OSS has no batch
 * worker, so the batch is gathered here: every job hands its item in and waits for its batch. Jobs
 * keep their own life in BullMQ (ids, attempts, the failed set), and every guarantee of the single
 * path holds: the steps run on every delivery (a job redelivered after COMMIT is a duplicate entry,
 * and its call's steps run again), and an item that fails alone fails only its own job.
 *
 * A batch gathers what is waiting when a slot frees (at most `maxInFlight` batches at once, never two
 * with the same enterprise in this process), so an idle process sends each item at once and a busy one
 * sends several per round trip.
 * Entries that are not events linger (`entryLingerMs`) and ride in the next batch an event starts:
 * nobody reads a send's timeline entry within those milliseconds, and alone each was a transaction of
 * its own (half the transactions of bench/pipeline's Telegram phase).
 */
import type { Kysely } from 'kysely';
import { isPgConnectionError, type Database } from '@callpipe/db';
import type { CallLogJob, EventJob } from '@callpipe/queues';
import type { ApplyResult } from '../callLog/applyEntry.js';
import { applyEventBatch, type BatchItem, type BatchOutcome } from '../callLog/applyBatch.js';
import type { CallLogPartitions } from '../callLog/partitions.js';
import type { JobContext } from '../processors/context.js';
import type { StoreEvent } from '../processors/events.js';
import type { AfterEntryStep, AppliedCall } from './afterEntry.js';

export interface EventBatcherOptions {
  partitions: CallLogPartitions;
  defaultTimeZone: string;
  steps: readonly AfterEntryStep[];
  /** One event alone, with its steps (callLogInline.ts): for an event a batch could not take. */
  single: StoreEvent;
  /** One other entry alone (../processors/callLog.ts): for an entry a batch could not take. */
  singleEntry: (job: CallLogJob, ctx: JobContext) => Promise<ApplyResult>;
  maxBatch?: number;
  maxInFlight?: number;
  /** Connections of the batches' own (at least maxInFlight), so they never queue behind other work; default the jobs' pool. */
  db?: Kysely<Database>;
  /** Times an event may find its enterprise held by another process before it goes the single way (which waits). */
  maxDeferrals?: number;
  /** How long an entry that is not an event waits for a batch to ride in before it starts one (CALL_LOG_ENTRY_LINGER_MS). */
  entryLingerMs?: number;
  /**
   * How long an event waits for others before it starts a batch (EVENTS_BATCH_LINGER_MS; default 0,
   * at once): a batch's round trips and planning cost about as much for one event as for ten.
   */
  eventLingerMs?: number;
}

/** Default of `entryLingerMs`. */
export const DEFAULT_ENTRY_LINGER_MS = 50;

/**
 * With this number of items waiting a batch is worth starting without a due one: entries alone (a call-log
 * backlog after an outage, CRM retries in a quiet hour) then drain at batch speed, not at
 * CALL_LOG_CONCURRENCY (8) entries a linger.
 */
export const ENOUGH_TO_START = 8;

/** What a batch gives back for an item: an event's 'inserted' or an entry's result. */
type Settled = { kind: 'event'; inserted: boolean } | { kind: 'entry'; result: ApplyResult };

interface Waiting {
  item: BatchItem;
  ctx: JobContext;
  deferrals: number;
  /** A deferred event waits until then before it is batched again (performance.now()). */
  notBefore: number;
  /** Until then (performance.now()) it only joins a batch something else starts. */
  lingerUntil: number;
  resolve: (settled: Settled) => void;
  reject: (err: unknown) => void;
}

/** The events of one call in a batch, after merges: its steps run once for all of them. */
interface CallGroup {
  call: AppliedCall;
  members: { w: Waiting; inserted: boolean }[];
  merged: Set<string>;
}

export class EventBatcher {
  private waiting: Waiting[] = [];
  private readonly busy = new Set<string>();
  private inFlight = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly maxDeferrals: number;
  private readonly entryLingerMs: number;
  private readonly eventLingerMs: number;
  readonly counters = { batches: 0, events: 0, deferred: 0, alone: 0 };

  constructor(private readonly o: EventBatcherOptions) {
    this.maxBatch = o.maxBatch ?? 200;
    this.maxInFlight = o.maxInFlight ?? 4;
    this.maxDeferrals = o.maxDeferrals ?? 40;
    this.entryLingerMs = o.entryLingerMs ?? DEFAULT_ENTRY_LINGER_MS;
    this.eventLingerMs = o.eventLingerMs ?? 0;
  }

  /** The events processor's store step (processors/events.ts). */
  readonly store: StoreEvent = async (job, ctx) => {
    const settled = await this.submit({ kind: 'event', job }, ctx);
    return settled.kind === 'event' && settled.inserted;
  };

  /** A call-log queue entry of another kind than 'event' (processors/callLog.ts). */
  readonly applyEntry = async (job: CallLogJob, ctx: JobContext): Promise<ApplyResult> => {
    const settled = await this.submit({ kind: 'entry', job }, ctx);
    if (settled.kind !== 'entry') throw new Error('an entry was settled as an event');
    return settled.result;
  };

  private submit(item: BatchItem, ctx: JobContext): Promise<Settled> {
    return new Promise<Settled>((resolve, reject) => {
      const lingerMs = item.kind === 'entry' ? this.entryLingerMs : this.eventLingerMs;
      const lingerUntil = lingerMs > 0 ? performance.now() + lingerMs : 0;
      this.waiting.push({ item, ctx, deferrals: 0, notBefore: 0, lingerUntil, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => { this.scheduled = false; this.pump(); });
  }

  /** When an item may start a batch of its own: after its deferral's wait and its linger. */
  private static startsAt(w: Waiting): number {
    return Math.max(w.notBefore, w.lingerUntil);
  }

  /** Wakes the pump when the first deferred event may be batched again, or the first lingering entry is due. */
  private wakeWhenDue(now: number): void {
    let first = Infinity;
    for (const w of this.waiting) {
      const at = EventBatcher.startsAt(w);
      if (at > now) {
        if (at < first) first = at;
      } else if (this.inFlight < this.maxInFlight && !this.busy.has(w.item.job.enterprise)) {
        // Due since the pump looked (a timer fires up to a millisecond early): pump again, as no
        // timer or release would (this left an entry waiting for good).
        this.schedule();
        return;
      }
    }
    if (first === Infinity || (this.timer && this.timerAt <= first)) return;
    clearTimeout(this.timer);
    this.timerAt = first;
    // Node truncates a timer's delay to whole milliseconds: round up, or it fires before `first`.
    this.timer = setTimeout(() => { this.timer = undefined; this.pump(); }, Math.max(1, Math.ceil(first - now)));
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch: Waiting[] = [];
      const rest: Waiting[] = [];
      const mine = new Set<string>();
      const now = performance.now();
      // Only an item that is due, or enough waiting, starts a batch; lingering entries then ride along.
      const free = (w: Waiting) => !this.busy.has(w.item.job.enterprise) && w.notBefore <= now;
      if (!this.waiting.some((w) => EventBatcher.startsAt(w) <= now && free(w))
        && this.waiting.filter(free).length < ENOUGH_TO_START) break;
      for (const w of this.waiting) {
        const e = w.item.job.enterprise;
        if (batch.length < this.maxBatch && free(w)) {
          batch.push(w);
          mine.add(e);
        } else {
          rest.push(w);
        }
      }
      if (batch.length === 0) break;
      this.waiting = rest;
      for (const e of mine) this.busy.add(e);
      this.inFlight += 1;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        for (const e of mine) this.busy.delete(e);
        this.inFlight -= 1;
        this.pump();
      };
      void this.run(batch, release).finally(release);
    }
    this.wakeWhenDue(performance.now());
  }

  /**
   * `release` frees the batch's slot and enterprises once its transaction is over: the after-entry
   * steps that follow run outside the slot (they are idempotent and converge on the record, as when two
   * processes run them for one call), so the next batch does not wait for their queries (with a slot
   * held through them, ack → record p99 reached seconds in bench/pipeline).
   */
  private async run(batch: Waiting[], release: () => void): Promise<void> {
    this.counters.batches += 1;
    this.counters.events += batch.length;
    let outcomes: BatchOutcome[];
    try {
      outcomes = await applyEventBatch(this.o.db ?? batch[0]!.ctx.db, this.o.partitions, batch.map((w) => w.item), { defaultTimeZone: this.o.defaultTimeZone });
    } catch (err) {
      // PostgreSQL away: every job fails and BullMQ retries it. Other errors: each event goes alone,
      // so an event no retry can store fails its own job, not its neighbours'.
      release();
      if (isPgConnectionError(err)) for (const w of batch) w.reject(err);
      else await Promise.all(batch.map((w) => this.alone(w)));
      return;
    }
    release();
    const groups = new Map<string, CallGroup>();
    const again: Waiting[] = [];
    await Promise.all(outcomes.map(async (out, i) => {
      const w = batch[i]!;
      if (out.kind === 'deferred') {
        this.counters.deferred += 1;
        w.deferrals += 1;
        // Another transaction holds the enterprise: give it a moment to commit, longer each time.
        w.notBefore = performance.now() + Math.min(50, 2 * w.deferrals);
        if (w.deferrals > this.maxDeferrals) await this.alone(w);
        else again.push(w);
      } else if (out.kind === 'refused') {
        w.reject(out.error);
      }
    }));
    outcomes.forEach((out, i) => {
      if (out.kind !== 'applied') return;
      const w = batch[i]!;
      // Only events lead to steps; another entry is done once it is in its call's timeline.
      if (w.item.kind === 'event') this.group(groups, w, w.item.job, out);
      else w.resolve({ kind: 'entry', result: { ...out.result, attempts: 1 } });
    });
    if (again.length > 0) {
      this.waiting.unshift(...again);
      // The slot is already free: wake the pump so it times their next try (wakeWhenDue).
      this.schedule();
    }
    await Promise.all([...groups.values()].map((g) => this.finish(g)));
  }

  /** Files an applied event under its call; a merge moves the merged calls' events to their new call. */
  private group(groups: Map<string, CallGroup>, w: Waiting, job: EventJob, out: Extract<BatchOutcome, { kind: 'applied' }>): void {
    const r = out.result;
    const key = (id: string) => `${job.enterprise}|${id}`;
    let g = groups.get(key(r.callId));
    if (!g) {
      g = {
        call: { enterprise: job.enterprise, callId: r.callId, merged: [], eventType: job.eventType, facts: r.facts, factsBefore: r.factsBefore, timeZone: r.timeZone },
        members: [], merged: new Set(),
      };
      groups.set(key(r.callId), g);
    }
    for (const m of r.merged) {
      g.merged.add(m);
      const other = groups.get(key(m));
      if (other && other !== g) {
        g.members.push(...other.members);
        for (const x of other.merged) g.merged.add(x);
        groups.delete(key(m));
      }
    }
    g.members.push({ w, inserted: out.inserted });
    // The facts of the last entry applied hold every earlier one of the batch (same transaction).
    g.call.facts = r.facts;
    g.call.factsBefore = r.factsBefore;
    g.call.timeZone = r.timeZone;
    // A hangup is what the steps act on (the final message, the call's history row): it names the trigger.
    if (g.call.eventType !== 'hangup') g.call.eventType = job.eventType;
  }

  private async finish(g: CallGroup): Promise<void> {
    const call: AppliedCall = { ...g.call, merged: [...g.merged] };
    const ctx = g.members[0]!.w.ctx;
    if (call.merged.length > 0) ctx.log.info({ into: call.callId, merged: call.merged }, 'call records merged');
    try {
      for (const step of this.o.steps) await step(call, ctx);
    } catch (err) {
      for (const m of g.members) m.w.reject(err);
      return;
    }
    for (const m of g.members) m.w.resolve({ kind: 'event', inserted: m.inserted });
  }

  private async alone(w: Waiting): Promise<void> {
    this.counters.alone += 1;
    try {
      const it = w.item;
      w.resolve(it.kind === 'event'
        ? { kind: 'event', inserted: await this.o.single(it.job, w.ctx) }
        : { kind: 'entry', result: await this.o.singleEntry(it.job, w.ctx) });
    } catch (err) {
      w.reject(err);
    }
  }
}
