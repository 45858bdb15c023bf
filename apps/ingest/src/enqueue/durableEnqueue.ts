/**
 * Makes an accepted event durable before it is acked: into Redis when Redis answers in time,
 * else into the disk spool. Requests that arrive together share one Redis write (one event-packets
 * job, or addBulk in one MULTI below INGEST_PACKET_MIN) and one fdatasync, which is what keeps the ack
 * fast under load.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@callpipe/logging';
import type { EventJob } from '@callpipe/queues';
import { bulkEntry } from './jobOptions.js';
import { withTimeout } from './withTimeout.js';
import type { PacketWrite } from './packetWrite.js';
import type { Spool } from '../spool/spool.js';

export type Durability = 'queued' | 'spooled';

interface Waiting {
  job: EventJob;
  resolve: (d: Durability) => void;
  reject: (err: Error) => void;
}

export interface DurableEnqueueOptions {
  queue: Queue<EventJob>;
  redis: Redis;
  spool: Spool;
  log: Logger;
  ackTimeoutMs: number;
  batchMax: number;
  /**
   * How long the first event of a write waits for others to share it (0: until the end of the
   * current event loop turn). A Redis write and a job cost the same for one event as for ten.
   */
  lingerMs?: number;
  dedupWindowMs: number;
  /** Writes of at least `packetMin` events go as one event-packets job (packetWrite.ts). */
  packets?: { write: PacketWrite; packetMin: number };
}

export class DurableEnqueue {
  private waiting: Waiting[] = [];
  private flushScheduled = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  readonly counters = { queued: 0, spooled: 0, failed: 0, batches: 0, packets: 0, resent: 0 };

  constructor(private readonly o: DurableEnqueueOptions) {}

  /** Resolves once the event is durable; rejects only if neither Redis nor the disk took it. */
  accept(job: EventJob): Promise<Durability> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      if (this.waiting.length >= this.o.batchMax) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        const linger = this.o.lingerMs ?? 0;
        if (linger > 0) this.lingerTimer = setTimeout(() => this.flush(), linger);
        else setImmediate(() => this.flush());
      }
    });
  }

  redisReady(): boolean {
    return this.o.redis.status === 'ready';
  }

  private flush(): void {
    this.flushScheduled = false;
    // A full write goes at once (batchMax): its window's timer goes with it.
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    while (this.waiting.length) void this.write(this.waiting.splice(0, this.o.batchMax));
  }

  private async write(batch: Waiting[]): Promise<void> {
    this.counters.batches += 1;
    if (this.redisReady()) {
      try {
        const p = this.o.packets;
        if (p && batch.length >= p.packetMin) {
          const { resent } = await withTimeout(p.write.write(batch.map((w) => w.job)), this.o.ackTimeoutMs, 'redis packet');
          this.counters.packets += 1;
          this.counters.resent += resent;
        } else {
          const entries = batch.map((w) => bulkEntry(w.job, this.o.dedupWindowMs));
          await withTimeout(this.o.queue.addBulk(entries), this.o.ackTimeoutMs, 'redis addBulk');
        }
        this.counters.queued += batch.length;
        for (const w of batch) w.resolve('queued');
        return;
      } catch (err) {
        this.o.log.warn({ err, events: batch.length }, 'redis did not take the events; spooling them to disk');
      }
    }
    try {
      await this.o.spool.append(batch.map((w) => w.job));
      this.counters.spooled += batch.length;
      for (const w of batch) w.resolve('spooled');
    } catch (err) {
      this.counters.failed += batch.length;
      this.o.log.error({ err, events: batch.length }, 'spool write failed; events refused with 503');
      for (const w of batch) w.reject(err as Error);
    }
  }
}
