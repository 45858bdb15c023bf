/** Each queue's concurrency, as its catalogue definition says: a fixed number or a numeric config key. */
import type { Config } from '@callpipe/config';
import { queues, QUEUE_KEYS, type QueueKey } from '@callpipe/queues';

export function queueConcurrency(config: Config): Record<QueueKey, number> {
  const out = {} as Record<QueueKey, number>;
  for (const key of QUEUE_KEYS) {
    const c = queues[key].concurrency;
    const value: unknown = typeof c === 'number' ? c : (config as Readonly<Record<string, unknown>>)[c];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`queue ${queues[key].name}: concurrency ${String(c)} is not a config key holding a whole number ≥ 1`);
    }
    out[key] = value;
  }
  return out;
}
