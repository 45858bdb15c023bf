/**
 * The in-process tier: entries by enterprise number, plus aliases (host token, lower-case name)
 * pointing at numbers. Reading is synchronous and allocation-free, which is what makes a warm hit
 * cost next to nothing. Entries stop being served at their expiresAt; a sweep drops them.
 */
import { entryMatches, type EnterpriseEntry } from './entry.js';

const tokenAlias = (t: string) => `t:${t}`;
const nameAlias = (n: string) => `n:${n.toLowerCase()}`;

export class LocalTier {
  private entries = new Map<string, EnterpriseEntry>();
  private aliases = new Map<string, string>();

  constructor(private readonly maxEntries: number) {}

  /** The live entry an identifier names (number first, then token, then name), or undefined. */
  peek(id: string, now: number): EnterpriseEntry | undefined {
    let entry = this.entries.get(id);
    if (!entry) {
      const number = this.aliases.get(tokenAlias(id)) ?? this.aliases.get(nameAlias(id));
      entry = number === undefined ? undefined : this.entries.get(number);
      if (entry && !entryMatches(entry, id)) entry = undefined;
    }
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  /** The number an identifier names among held entries, live or not. */
  numberOf(id: string): string | undefined {
    if (this.entries.has(id)) return id;
    return this.aliases.get(tokenAlias(id)) ?? this.aliases.get(nameAlias(id));
  }

  set(entry: EnterpriseEntry): void {
    this.drop(entry.number);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    this.entries.set(entry.number, entry);
    if (entry.token) this.aliases.set(tokenAlias(entry.token), entry.number);
    this.aliases.set(nameAlias(entry.name), entry.number);
  }

  /** Replaces everything at once (a full refresh): readers see the old set or the new, never a mix. */
  replaceAll(entries: readonly EnterpriseEntry[]): void {
    const next = new LocalTier(Math.max(this.maxEntries, entries.length));
    for (const e of entries) next.set(e);
    this.entries = next.entries;
    this.aliases = next.aliases;
  }

  drop(number: string): boolean {
    const entry = this.entries.get(number);
    if (!entry) return false;
    this.entries.delete(number);
    if (entry.token && this.aliases.get(tokenAlias(entry.token)) === number) this.aliases.delete(tokenAlias(entry.token));
    if (this.aliases.get(nameAlias(entry.name)) === number) this.aliases.delete(nameAlias(entry.name));
    return true;
  }

  clear(): void {
    this.entries = new Map();
    this.aliases = new Map();
  }

  /** Drops expired entries; returns how many. */
  sweep(now: number): number {
    let dropped = 0;
    for (const [number, entry] of this.entries) {
      if (entry.expiresAt <= now && this.drop(number)) dropped += 1;
    }
    return dropped;
  }

  get size(): number {
    return this.entries.size;
  }

  values(): IterableIterator<EnterpriseEntry> {
    return this.entries.values();
  }
}
