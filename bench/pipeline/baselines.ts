/**
 * The same-run baselines, on the same PostgreSQL and Redis as the pipeline: plain single-row INSERTs
 * of event-shaped rows (call_events' columns, ON CONFLICT on the key) from 8 connections, and bare
 * BullMQ — one `add` per job and a Worker whose processor does nothing — for the same number of jobs.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';

export interface Baseline { name: string; count: number; seconds: number; perSec: number }

export async function plainInserts(pool: pg.Pool, count: number, concurrency = 8): Promise<Baseline> {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_plain_events (LIKE call_events INCLUDING DEFAULTS INCLUDING IDENTITY)`);
  await pool.query(`CREATE UNIQUE INDEX IF NOT EXISTS bench_plain_events_key ON bench_plain_events (event_key)`);
  const body = JSON.stringify({ Token: 'bench', UniqueId: '1700000000.1', CallerIDNum: '375291234567', Exten: '150', CallType: 0 });
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      await pool.query(
        `INSERT INTO bench_plain_events (event_key, unique_id, event_type, enterprise_number, event_timestamp, data_source, raw_data, seq)
         VALUES ($1, $2, 'dial', 'b1', now(), 'live', $3::jsonb, $4) ON CONFLICT (event_key) DO NOTHING`,
        [randomUUID(), `1700000000.${i}`, body, i],
      );
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { name: 'plain single-row INSERT (8 connections)', count, seconds: Number(seconds.toFixed(2)), perSec: Math.round(count / seconds) };
}

export async function bareBullmq(connection: Redis, prefix: string, count: number, concurrency = 32): Promise<Baseline> {
  const name = `bench-bare-${process.pid}`;
  const queue = new Queue(name, { connection, prefix });
  let done = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((r) => { resolveAll = r; });
  const worker = new Worker(name, async () => {
    done += 1;
    if (done === count) resolveAll();
  }, { connection, prefix, concurrency });
  const body = { Token: 'bench', UniqueId: '1700000000.1', CallerIDNum: '375291234567', Exten: '150', CallType: 0 };
  const started = performance.now();
  let next = 0;
  // Adds from 32 producers at once, as ingest requests arrive; removeOnComplete as the real queues.
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < count) {
      const i = next++;
      await queue.add('dial', { i, body }, { removeOnComplete: { count: 2000 }, attempts: 12, backoff: { type: 'exponential', delay: 500 } });
    }
  }));
  await all;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { name: 'bare BullMQ add + no-op process', count, seconds: Number(seconds.toFixed(2)), perSec: Math.round(count / seconds) };
}
