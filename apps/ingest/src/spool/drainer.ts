/**
 * Replays the spool into the events queue once Redis is back: oldest segment first, in order,
 * in chunks; a segment is deleted only after all of it is in Redis. A crash mid-segment replays
 * that segment again, which the content key makes harmless (dedup in BullMQ, unique key in PostgreSQL;
 * jobOptions.ts says why a replay's dedup space is its own).
 */
import type { Queue } from 'bullmq';
import type { Logger } from '@callpipe/logging';
import type { EventJob } from '@callpipe/queues';
import { bulkEntry, SPOOL_REPLAY_DEDUP_PREFIX } from '../enqueue/jobOptions.js';
import { withTimeout } from '../enqueue/withTimeout.js';
import type { Spool } from './spool.js';

export interface DrainerOptions {
  spool: Spool;
  queue: Queue<EventJob>;
  isRedisReady: () => boolean;
  log: Logger;
  dedupWindowMs: number;
  intervalMs?: number;
  chunk?: number;
  /** Per chunk; generous, since nothing waits on it but the drain itself. */
  timeoutMs?: number;
}

export class SpoolDrainer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  readonly counters = { replayed: 0, skippedLines: 0, segments: 0 };
  pendingSegments = 0;

  constructor(private readonly o: DrainerOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.o.intervalMs ?? 500);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; concurrent calls share the pass in progress. */
  tick(): Promise<void> {
    if (!this.running) this.running = this.drain().finally(() => (this.running = null));
    return this.running;
  }

  private async drain(): Promise<void> {
    if (!this.o.isRedisReady()) return;
    const segments = this.o.spool.hasUnsealed() ? await this.o.spool.seal() : await this.o.spool.sealedSegments();
    this.pendingSegments = segments.length;
    for (const path of segments) {
      if (!this.o.isRedisReady()) return;
      const { jobs, skipped } = await this.o.spool.readSegment(path);
      if (skipped) this.o.log.error({ segment: path, skipped }, 'spool segment had unreadable lines (torn write); they were never acked');
      const chunk = this.o.chunk ?? 500;
      try {
        for (let i = 0; i < jobs.length; i += chunk) {
          const entries = jobs.slice(i, i + chunk).map((j) => bulkEntry(j, this.o.dedupWindowMs, SPOOL_REPLAY_DEDUP_PREFIX));
          await withTimeout(this.o.queue.addBulk(entries), this.o.timeoutMs ?? 10_000, 'spool replay addBulk');
        }
      } catch (err) {
        this.o.log.warn({ err, segment: path }, 'spool replay interrupted; will retry');
        return;
      }
      await this.o.spool.removeSegment(path);
      this.counters.replayed += jobs.length;
      this.counters.skippedLines += skipped;
      this.counters.segments += 1;
      this.pendingSegments -= 1;
      this.o.log.info({ segment: path, events: jobs.length }, 'spool segment replayed into the events queue');
    }
  }
}
