/**
 * One ingest write of several events as one `event-packets` job (a BullMQ job costs ~40 Redis
 * commands whatever it holds). The events queue's deduplication is kept by hand: each event claims
 * its key in the events queue's own deduplication space (`<events>:de:<eventKey>`, what BullMQ sets
 * for a single events job), so a resend is left out whichever way either copy came. Two round trips:
 * the claims, then the packet of the events that were new.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@callpipe/logging';
import type { EventJob, EventPacketJob } from '@callpipe/queues';

export interface PacketWriteOptions {
  redis: Redis;
  /** The events queue: whose deduplication keys the claims use. */
  events: Queue<EventJob>;
  packets: Queue<EventPacketJob>;
  dedupWindowMs: number;
  log: Logger;
}

export class PacketWrite {
  constructor(private readonly o: PacketWriteOptions) {}

  private dedupKey(job: EventJob): string {
    return `${this.o.events.keys.de}:${job.eventKey}`;
  }

  /** Resolves once the new events are in Redis; resolves at once when every one was a resend. */
  async write(jobs: readonly EventJob[]): Promise<{ added: number; resent: number }> {
    // A custom id (no ':' allowed) so each claim can name the job that holds its event.
    const packetId = `p-${randomUUID()}`;
    const claims = this.o.redis.pipeline();
    for (const j of jobs) claims.set(this.dedupKey(j), packetId, 'PX', this.o.dedupWindowMs, 'NX');
    const replies = (await claims.exec()) ?? [];
    const fresh: EventJob[] = [];
    jobs.forEach((j, i) => {
      const [err, reply] = replies[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      if (reply === 'OK') fresh.push(j);
    });
    if (fresh.length === 0) return { added: 0, resent: jobs.length };
    try {
      await this.o.packets.add('packet', { events: fresh }, { jobId: packetId });
    } catch (err) {
      // The events go to the spool (the caller), but their claims would make a resend of one of them
      // look queued: release them. If Redis is away they go with it or expire with the window.
      this.o.redis.del(...fresh.map((j) => this.dedupKey(j))).catch((e: unknown) => {
        this.o.log.debug({ err: e, events: fresh.length }, 'could not release the claims of a packet that was not added');
      });
      throw err;
    }
    return { added: fresh.length, resent: jobs.length - fresh.length };
  }
}
