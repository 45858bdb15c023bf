/**
 * Runs one BullMQ Worker per queue with its processor, binding a logger to every job, and stops
 * them within a bound: in-flight jobs get the shutdown timeout to finish, then are handed back
 * (their locks lapse and BullMQ's stalled check gives them to another worker).
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isRedisConnectionError, queues, QUEUE_KEYS, type JobLogIds, type QueueKey } from '@callpipe/queues';
import { metrics } from '@callpipe/metrics';
import { lazyChild } from '@callpipe/logging';
import { createOutages, reportDependencyError, type Outages } from './outages.js';
import type { JobContext, ProcessorDeps } from './processors/context.js';
import type { ProcessorTable } from './processors/registry.js';
import { isQuietFailure } from './quietFailure.js';
import { unrecoverableIfDataRefused } from './dataRefused.js';

export interface WorkerHostOptions {
  connection: Redis;
  prefix: string;
  concurrency: Record<QueueKey, number>;
  lockMs: number;
  deps: ProcessorDeps;
  /** A job failing because PostgreSQL or Redis is down is reported here, not logged per job (default: the host's own). */
  outages?: Outages;
}

/** Each queue's definition says which ids its jobs carry (libs/queues catalogue). */
function jobLogFields(key: QueueKey, job: Job): Record<string, unknown> {
  let ids: JobLogIds = {};
  try {
    ids = (queues[key].logIds as (d: unknown) => JobLogIds)(job.data);
  } catch {
    // A malformed payload still gets its queue and job id; its processor refuses it.
  }
  return { queue: queues[key].name, jobId: job.id, attempt: job.attemptsMade + 1, ...ids };
}

export class WorkerHost {
  private workers: Worker[] = [];
  private readonly outages: Outages;

  constructor(private readonly table: ProcessorTable, private readonly o: WorkerHostOptions) {
    this.outages = o.outages ?? createOutages(o.deps.log, 60_000);
  }

  start(): void {
    const log = this.o.deps.log;
    for (const key of QUEUE_KEYS) {
      const def = queues[key];
      const processor = this.table[key] as (job: Job, ctx: JobContext) => Promise<unknown>;
      const worker = new Worker(def.name, async (job: Job, token?: string) => {
        const ctx: JobContext = { ...this.o.deps, log: lazyChild(log, jobLogFields(key, job)), ...(token ? { token } : {}) };
        const started = performance.now();
        let result = 'failed';
        try {
          const out = await processor(job, ctx);
          result = 'completed';
          return out;
        } catch (err) {
          // A job that moved itself back to the queue (DelayedError) did not fail.
          if (err instanceof DelayedError) result = 'deferred';
          throw unrecoverableIfDataRefused(err);
        } finally {
          metrics.jobSeconds.observe({ queue: def.name, result }, (performance.now() - started) / 1000);
        }
      }, {
        connection: this.o.connection, prefix: this.o.prefix, concurrency: this.o.concurrency[key],
        lockDuration: this.o.lockMs, stalledInterval: this.o.lockMs, maxStalledCount: def.maxStalledCount ?? 1,
        ...(def.backoffStrategy ? { settings: { backoffStrategy: def.backoffStrategy } } : {}),
      });
      worker.on('failed', (job, err) => {
        if (!job) return;
        const fields = { ...jobLogFields(key, job), err };
        const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
        // Lock contention, or a misconfiguration already logged once for its enterprise: not a line per job.
        if (isQuietFailure(err)) log.debug(fields, final ? 'job ended (expected failure)' : 'job handed back for a retry (expected failure)');
        else if (final) log.error(fields, 'job failed for good; it stays in the failed set (Bull Board) for a retry by hand');
        else if (reportDependencyError(this.outages, err)) log.debug(fields, 'job failed: dependency down; BullMQ will retry it');
        else log.warn(fields, 'job failed; BullMQ will retry it with backoff');
      });
      // BullMQ's own connections (blocking reads, lock renewals) while Redis is away: part of the outage.
      worker.on('error', (err) => {
        if (isRedisConnectionError(err)) this.outages.redis.down(err);
        else log.error({ err, queue: def.name }, 'worker error');
      });
      this.workers.push(worker);
    }
    log.info({ queues: QUEUE_KEYS, concurrency: this.o.concurrency }, 'workers started');
  }

  /** Resolves true when every in-flight job finished in time, false when some were handed back. */
  async stop(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    // pause() stops taking jobs and waits for the active ones; close() would do the same, but once
    // started it cannot be forced any more (a later close(true) returns the same waiting promise).
    const graceful = Promise.all(this.workers.map((w) => w.pause())).then(() => true);
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const finished = await Promise.race([graceful, timeout]);
    clearTimeout(timer);
    await Promise.all(this.workers.map((w) => w.close(!finished)));
    return finished;
  }
}
