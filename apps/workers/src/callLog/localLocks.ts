/**
 * In-process locks by key, taken before an entry asks the pool for a connection. Entries that would
 * wait for each other on PostgreSQL's advisory locks anyway (the same call's ids and link keys, see
 * begin.ts) wait here instead, without holding a connection: otherwise a burst of one call's events
 * fills the pool with transactions queued behind each other while other calls' events wait for a
 * connection (issue 12's profile: call_log_begin ~30 ms of lock wait against ~1 ms of work).
 * PostgreSQL's locks still order entries across processes; these only spare this process's pool.
 * A holder queues for all its keys at once, so waits follow arrival order and never form a cycle.
 */
export class LocalLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const waits: Promise<void>[] = [];
    const mine: [string, Promise<void>][] = [];
    // All keys are queued for at once (no await in between): a holder waits only on those queued
    // before it, so waits follow arrival order and can never form a cycle.
    for (const key of new Set(keys)) {
      const before = this.tails.get(key) ?? Promise.resolve();
      const tail = before.then(() => held);
      this.tails.set(key, tail);
      waits.push(before);
      mine.push([key, tail]);
    }
    try {
      await Promise.all(waits);
      return await work();
    } finally {
      release();
      for (const [key, tail] of mine) if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys currently held or waited for (tests; a leak would show here). */
  get size(): number {
    return this.tails.size;
  }
}
