/**
 * Typed producers for every queue of the catalogue: a payload is checked against its queue's
 * schema before it is added, so a producer bug fails where it is made, not in a worker later.
 */
import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { queues, type QueueKey, type QueuePayloads } from './catalogue.js';

export class PayloadError extends Error {
  constructor(queue: string, detail: string) {
    super(`invalid ${queue} payload: ${detail}`);
    this.name = 'PayloadError';
  }
}

export class Producers {
  private readonly open = new Map<QueueKey, Queue>();

  constructor(private readonly connection: Redis, private readonly prefix: string) {}

  queue<K extends QueueKey>(key: K): Queue<QueuePayloads[K]> {
    let q = this.open.get(key);
    if (!q) {
      const def = queues[key];
      q = new Queue(def.name, { connection: this.connection, prefix: this.prefix, defaultJobOptions: def.jobOptions });
      // The shared connection's errors reach its own listeners (the process's outage log); a Queue
      // without a listener would print each one to stderr with its stack.
      q.on('error', () => undefined);
      this.open.set(key, q);
    }
    return q as Queue<QueuePayloads[K]>;
  }

  async add<K extends QueueKey>(key: K, name: string, data: QueuePayloads[K], opts?: JobsOptions): Promise<Job<QueuePayloads[K]>> {
    this.check(key, data);
    return (this.queue(key) as Queue).add(name, data, opts) as Promise<Job<QueuePayloads[K]>>;
  }

  async addBulk<K extends QueueKey>(key: K, jobs: { name: string; data: QueuePayloads[K]; opts?: JobsOptions }[]): Promise<Job<QueuePayloads[K]>[]> {
    for (const j of jobs) this.check(key, j.data);
    return (this.queue(key) as Queue).addBulk(jobs) as Promise<Job<QueuePayloads[K]>[]>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((q) => q.close()));
    this.open.clear();
  }

  private check<K extends QueueKey>(key: K, data: QueuePayloads[K]): void {
    const validate = queues[key].validate;
    if (!validate(data)) {
      const e = validate.errors?.[0];
      throw new PayloadError(queues[key].name, `${e?.instancePath || '(root)'} ${e?.message ?? ''}`.trim());
    }
  }
}
