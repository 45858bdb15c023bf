/**
 * Runs one BullMQ Worker per queue with its processor, binding a logger to every job, and stops
 * them within a bound: in-flight jobs get the shutdown timeout to finish, then are handed back
 * (their locks lapse and BullMQ's stalled check gives them to another worker).
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { primaryId } from '@callpipe/events';
import { queues, QUEUE_KEYS, type QueueKey } from '@callpipe/queues';
import { metrics } from '@callpipe/metrics';
import type { JobContext, ProcessorDeps } from './processors/context.js';
import type { ProcessorTable } from './processors/registry.js';

export interface WorkerHostOptions {
  connection: Redis;
  prefix: string;
  concurrency: Record<QueueKey, number>;
  lockMs: number;
  deps: ProcessorDeps;
}

function jobLogFields(queue: string, job: Job): Record<string, unknown> {
  // Payloads name their call by the event body (events, call-log events) or by callRef (other entries).
  const data = job.data as { enterprise?: unknown; body?: Parameters<typeof primaryId>[0]; callRef?: unknown } | undefined;
  const callId = data?.body && typeof data.body === 'object' ? primaryId(data.body)
    : typeof data?.callRef === 'string' ? data.callRef : undefined;
  return {
    queue, jobId: job.id, attempt: job.attemptsMade + 1,
    enterprise: typeof data?.enterprise === 'string' ? data.enterprise : undefined,
    callId,
  };
}

export class WorkerHost {
  private workers: Worker[] = [];

  constructor(private readonly table: ProcessorTable, private readonly o: WorkerHostOptions) {}

  start(): void {
    const log = this.o.deps.log;
    for (const key of QUEUE_KEYS) {
      const def = queues[key];
      const processor = this.table[key] as (job: Job, ctx: JobContext) => Promise<unknown>;
      const worker = new Worker(def.name, async (job: Job) => {
        const ctx: JobContext = { ...this.o.deps, log: log.child(jobLogFields(def.name, job)) };
        const started = performance.now();
        let result = 'failed';
        try {
          const out = await processor(job, ctx);
          result = 'completed';
          return out;
        } finally {
          metrics.jobSeconds.observe({ queue: def.name, result }, (performance.now() - started) / 1000);
        }
      }, {
        connection: this.o.connection, prefix: this.o.prefix, concurrency: this.o.concurrency[key],
        lockDuration: this.o.lockMs, stalledInterval: this.o.lockMs,
      });
      worker.on('failed', (job, err) => {
        if (!job) return;
        const fields = { ...jobLogFields(def.name, job), err };
        const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
        if (final) log.error(fields, 'job failed for good; it stays in the failed set (Bull Board) for a retry by hand');
        else log.warn(fields, 'job failed; BullMQ will retry it with backoff');
      });
      worker.on('error', (err) => log.error({ err, queue: def.name }, 'worker error'));
      this.workers.push(worker);
    }
    log.info({ queues: QUEUE_KEYS, concurrency: this.o.concurrency }, 'workers started');
  }

  /** Resolves true when every in-flight job finished in time, false when some were handed back. */
  async stop(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const graceful = Promise.all(this.workers.map((w) => w.close())).then(() => true);
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const finished = await Promise.race([graceful, timeout]);
    clearTimeout(timer);
    if (!finished) await Promise.all(this.workers.map((w) => w.close(true)));
    return finished;
  }
}
