/** A small bounded map whose values expire: the short cache of customer and metadata lookups. */
export class TtlMap<V> {
  private readonly items = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly ttlMs: number, private readonly maxEntries: number) {}

  get(key: string, now: number): V | undefined {
    const item = this.items.get(key);
    if (!item) return undefined;
    if (item.expiresAt > now) return item.value;
    this.items.delete(key);
    return undefined;
  }

  set(key: string, value: V, now: number): void {
    this.items.delete(key);
    if (this.items.size >= this.maxEntries) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    this.items.set(key, { value, expiresAt: now + this.ttlMs });
  }

  /** The fresh value of `key`, else what `load` gives (kept from now on; a failed load keeps nothing). */
  async getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.get(key, Date.now());
    if (hit !== undefined) return hit;
    const value = await load();
    this.set(key, value, Date.now());
    return value;
  }

  /** Drops expired values; returns how many. */
  sweep(now: number): number {
    let n = 0;
    for (const [key, item] of this.items) {
      if (item.expiresAt <= now) {
        this.items.delete(key);
        n += 1;
      }
    }
    return n;
  }

  get size(): number {
    return this.items.size;
  }
}
