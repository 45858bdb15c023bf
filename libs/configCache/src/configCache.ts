/**
 * The integration config cache every process shares: an in-process tier in front of a Redis tier
 * in front of PostgreSQL.
 *
 * - A lookup is answered from this process's memory when it can, else from Redis, else by one
 *   PostgreSQL query: one per identifier in this process (callers missing together share it) and,
 *   through a short Redis lock, one between all processes (the others wait and read its result).
 * - Entries live ttlMs (90 s) in both tiers; a full refresh every refreshMs ± jitterMs (240 ± 60 s)
 *   reloads every active enterprise; a sweep every cleanupMs (30 s) drops expired local entries.
 * - Any change to enterprises (the table's trigger NOTIFYs enterprises_changed with the number)
 *   drops that entry from both tiers at once; after the LISTEN connection comes back the whole
 *   local tier is dropped, since notifies sent meanwhile are lost. A load that started before a
 *   drop is answered to its callers but not stored, so it cannot put the old settings back.
 * - Redis unreachable: lookups go local -> PostgreSQL, still one query per identifier per process.
 */
import type { Redis } from 'ioredis';
import { NOTIFY, PgListener } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import { metrics } from '@callpipe/metrics';
import { CacheCounters, statsBody, type InvalidConfig, type LookupKind, type Source } from './cacheStats.js';
import { buildEntry, type EnterpriseEntry, type InvalidIntegration } from './entry.js';
import type { EnterpriseSource } from './enterpriseSource.js';
import { LocalTier } from './localTier.js';
import { RedisTier } from './redisTier.js';
import { nextRefreshDelayMs } from './refreshSchedule.js';

export interface Lookup {
  entry: EnterpriseEntry;
  source: Source;
}

export interface ConfigCacheOptions {
  /** Best a fail-fast connection: while Redis is down, lookups should go to PostgreSQL, not wait. */
  redis: Redis;
  prefix: string;
  source: EnterpriseSource;
  log: Logger;
  ttlMs: number;
  refreshMs: number;
  refreshJitterMs: number;
  cleanupMs: number;
  /** LISTEN for enterprises_changed here; without it only TTL, refresh and invalidate() drop entries. */
  listenUrl?: string;
  /** Tells every process an enterprise changed (pg_notify); invalidate() calls it. */
  announce?: (number: string) => Promise<void>;
  lockMs?: number;
  lockPollMs?: number;
  missingTtlMs?: number;
  maxLocalEntries?: number;
  random?: () => number;
  /** The process's outage log for PostgreSQL (one line per outage); without it listener errors are logged each. */
  pgOutage?: { down(err: unknown): void };
}

const MAX_ID_LENGTH = 100;
const ECHO_WAIT_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ConfigCache {
  readonly counters = new CacheCounters();
  private readonly local: LocalTier;
  private readonly shared: RedisTier;
  private readonly inflight = new Map<string, Promise<Lookup | null>>();
  private readonly echoWaiters = new Map<string, (() => void)[]>();
  private readonly invalid = new Map<string, InvalidIntegration[]>();
  /** Bumped on every drop; a load compares it to decide whether its result may be stored. */
  private generation = 0;
  private readonly droppedAt = new Map<string, number>();
  private clearedAt = 0;
  private listener: PgListener | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private cleanupTimer: NodeJS.Timeout | null = null;
  private nextRefreshAt: Date | null = null;
  private stopped = false;
  private lastRedisWarning = 0;
  private readonly lockMs: number;
  private readonly lockPollMs: number;

  constructor(private readonly o: ConfigCacheOptions) {
    if (o.refreshJitterMs >= o.refreshMs) throw new Error('config cache: refresh jitter must be smaller than the refresh period');
    this.local = new LocalTier(o.maxLocalEntries ?? 1000);
    this.shared = new RedisTier(o.redis, o.prefix, o.missingTtlMs ?? 2000);
    this.lockMs = o.lockMs ?? 3000;
    this.lockPollMs = o.lockPollMs ?? 20;
  }

  async start(): Promise<void> {
    if (this.o.listenUrl) {
      this.listener = new PgListener({
        connectionString: this.o.listenUrl,
        channels: [NOTIFY.enterprisesChanged],
        onNotify: (_channel, number) => {
          if (!number) {
            this.dropAllLocal();
            return;
          }
          const dropped = this.dropEverywhere(number, 'notify');
          const waiters = this.echoWaiters.get(number);
          this.echoWaiters.delete(number);
          if (waiters) void dropped.then(() => { for (const w of waiters) w(); });
        },
        onReconnect: () => this.dropAllLocal(),
        onError: (err) => {
          if (this.o.pgOutage) this.o.pgOutage.down(err);
          else this.o.log.warn({ err }, 'config cache listener error; reconnecting');
        },
      });
      await this.listener.start();
    }
    await this.refreshAll().catch(() => undefined); // logged inside; the timer tries again
    this.scheduleRefresh();
    this.cleanupTimer = setInterval(() => this.local.sweep(Date.now()), this.o.cleanupMs);
    this.cleanupTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    await this.listener?.stop();
  }

  /** The hot path: a live entry held in this process, counted as a hit; undefined otherwise. */
  hitLocal(id: string, kind: LookupKind): EnterpriseEntry | undefined {
    const entry = this.local.peek(id, Date.now());
    if (entry) this.counters.record(kind, 'local');
    return entry;
  }

  /** The enterprise an identifier names (number, host token or name), from the nearest tier; null if none is active. */
  async lookup(id: string, kind: LookupKind): Promise<Lookup | null> {
    const entry = this.hitLocal(id, kind);
    if (entry) return { entry, source: 'local' };
    if (!id || id.length > MAX_ID_LENGTH) return null;
    let flight = this.inflight.get(id);
    if (!flight) {
      flight = this.resolve(id);
      this.inflight.set(id, flight);
      const done = () => { if (this.inflight.get(id) === flight) this.inflight.delete(id); };
      flight.then(done, done);
    }
    const found = await flight;
    if (found) this.counters.record(kind, found.source);
    else this.counters.notFound += 1;
    return found;
  }

  /** The enterprise whose host token this is (a number or name that happens to match is not enough). */
  async lookupToken(token: string): Promise<Lookup | null> {
    const found = await this.lookup(token, 'integrations');
    return found && found.entry.token === token ? found : null;
  }

  /**
   * Drops an enterprise from both tiers here and tells every other process (NOTIFY). Resolves to
   * its number, or null when no enterprise (active or not) has that identifier.
   */
  async invalidate(id: string): Promise<string | null> {
    const number = this.local.numberOf(id) ?? (id.length <= MAX_ID_LENGTH ? await this.o.source.findNumber(id) : null);
    if (!number) return null;
    let announced = false;
    if (this.listener && this.o.announce) {
      // Our own NOTIFY comes back to us and drops the entry; dropping it here as well would drop
      // it twice (and throw away a reload made in between). Without the echo in time: drop here.
      let timer: NodeJS.Timeout | undefined;
      const echoed = new Promise<boolean>((resolve) => {
        this.echoWaiters.set(number, [...(this.echoWaiters.get(number) ?? []), () => resolve(true)]);
        timer = setTimeout(() => resolve(false), ECHO_WAIT_MS);
      });
      await this.o.announce(number);
      announced = true;
      const heard = await echoed;
      clearTimeout(timer);
      if (heard) return number;
    }
    await this.dropEverywhere(number, 'request');
    if (!announced) await this.o.announce?.(number);
    return number;
  }

  /** Reloads every active enterprise into both tiers. Rejects (after logging) if PostgreSQL fails. */
  async refreshAll(): Promise<{ enterprises: number; durationMs: number }> {
    const started = Date.now();
    const generation = this.generation;
    try {
      const rows = await this.o.source.loadAll();
      this.counters.dbLoads += 1;
      const now = Date.now();
      const entries = rows.map((r) => buildEntry(r, now, this.o.ttlMs));
      const before = new Map(this.invalid);
      this.invalid.clear();
      for (const e of entries) this.noteInvalid(e, before.get(e.number));
      const fresh = entries.filter((e) => !this.droppedSince(e.number, generation));
      if (this.clearedAt > generation) {
        this.o.log.debug('config refresh raced a reconnect; nothing stored');
      } else {
        this.local.replaceAll(fresh);
        await this.shared.write(fresh, now).catch((err: Error) => this.redisFailed(err));
      }
      this.counters.refreshes += 1;
      this.counters.lastFullRefresh = new Date(now);
      const durationMs = Date.now() - started;
      this.o.log.info({ enterprises: entries.length, invalidConfigs: this.invalidList().length, durationMs }, 'config cache refreshed');
      return { enterprises: entries.length, durationMs };
    } catch (err) {
      this.counters.refreshFailures += 1;
      this.o.log.warn({ err }, 'config cache refresh failed; entries are loaded on demand until the next one');
      throw err;
    }
  }

  /** The /stats body; lookups are the customer/metadata lookup counters (kept elsewhere). */
  stats(lookups: { hits: number; misses: number; entries: number } = { hits: 0, misses: 0, entries: 0 }) {
    return statsBody({
      counters: this.counters, localEntries: this.local.size, invalid: this.invalidList(),
      nextFullRefresh: this.nextRefreshAt, lookups, now: Date.now(),
    });
  }

  invalidList(): InvalidConfig[] {
    const out: InvalidConfig[] = [];
    for (const [enterprise, list] of this.invalid) for (const i of list) out.push({ enterprise, ...i });
    return out;
  }

  private async resolve(id: string): Promise<Lookup | null> {
    const generation = this.generation;
    try {
      const shared = await this.shared.read(id, Date.now());
      if (shared && 'entry' in shared) return this.keep(shared.entry, generation, 'redis');
      if (shared) return null;
    } catch (err) {
      this.redisFailed(err as Error);
      return this.loadFromDb(id, generation, false);
    }
    const deadline = Date.now() + this.lockMs;
    for (;;) {
      let lock: string | null;
      try {
        lock = await this.shared.tryLock(id, this.lockMs);
      } catch (err) {
        this.redisFailed(err as Error);
        return this.loadFromDb(id, generation, false);
      }
      if (lock) {
        try {
          // Another process may have stored it between our read and our lock.
          const shared = await this.shared.read(id, Date.now());
          if (shared && 'entry' in shared) return this.keep(shared.entry, generation, 'redis');
          if (shared) return null;
          return await this.loadFromDb(id, generation, true);
        } finally {
          await this.shared.unlock(id, lock).catch((err: Error) => this.redisFailed(err));
        }
      }
      // Another process is loading it: read its result from Redis when it lands.
      while (Date.now() < deadline) {
        await sleep(this.lockPollMs);
        try {
          const [shared, locked] = await Promise.all([this.shared.read(id, Date.now()), this.shared.isLocked(id)]);
          if (shared && 'entry' in shared) return this.keep(shared.entry, generation, 'redis');
          if (shared) return null;
          if (!locked) break; // it finished without a result we may use: take the lock ourselves
        } catch (err) {
          this.redisFailed(err as Error);
          return this.loadFromDb(id, generation, false);
        }
      }
      if (Date.now() >= deadline) return this.loadFromDb(id, generation, true); // the holder seems stuck
    }
  }

  private async loadFromDb(id: string, generation: number, share: boolean): Promise<Lookup | null> {
    this.counters.dbLoads += 1;
    const row = await this.o.source.loadOne(id);
    const now = Date.now();
    if (!row) {
      if (share && this.generation === generation) await this.shared.markMissing(id, now).catch((err: Error) => this.redisFailed(err));
      return null;
    }
    const entry = buildEntry(row, now, this.o.ttlMs);
    this.noteInvalid(entry);
    if (!this.droppedSince(entry.number, generation) && this.clearedAt <= generation) {
      this.local.set(entry);
      if (share) await this.shared.write([entry], now).catch((err: Error) => this.redisFailed(err));
    }
    return { entry, source: 'database' };
  }

  private keep(entry: EnterpriseEntry, generation: number, source: Source): Lookup {
    if (!this.droppedSince(entry.number, generation) && this.clearedAt <= generation) this.local.set(entry);
    return { entry, source };
  }

  private droppedSince(number: string, generation: number): boolean {
    return (this.droppedAt.get(number) ?? -1) > generation;
  }

  private dropLocal(number: string, why: 'notify' | 'request'): void {
    this.generation += 1;
    this.droppedAt.set(number, this.generation);
    this.local.drop(number);
    // Callers arriving from now on must not join a load that began before the change.
    this.inflight.clear();
    this.counters.invalidations += 1;
    this.counters.lastInvalidation = new Date();
    this.o.log.debug({ enterprise: number, why }, 'config cache entry dropped');
  }

  private dropEverywhere(number: string, why: 'notify' | 'request'): Promise<void> {
    this.dropLocal(number, why);
    return this.shared.drop(number).catch((err: Error) => this.redisFailed(err));
  }

  private dropAllLocal(): void {
    this.generation += 1;
    this.clearedAt = this.generation;
    this.local.clear();
    this.inflight.clear();
  }

  /** Records an entry's invalid integrations; logs them when they differ from what was known before. */
  private noteInvalid(entry: EnterpriseEntry, before = this.invalid.get(entry.number)): void {
    if (entry.invalid.length) this.invalid.set(entry.number, entry.invalid);
    else this.invalid.delete(entry.number);
    if (entry.invalid.length && JSON.stringify(entry.invalid) !== JSON.stringify(before ?? [])) {
      for (const i of entry.invalid) {
        this.o.log.warn({ enterprise: entry.number, integration: i.integration, error: i.error }, 'integration config fails its schema; treated as disabled');
      }
    }
    metrics.configInvalid.set(this.invalidList().length);
  }

  private redisFailed(err: Error): void {
    this.counters.redisErrors += 1;
    // One warning a minute at most: while Redis is down every miss lands here.
    if (Date.now() - this.lastRedisWarning > 60_000) {
      this.lastRedisWarning = Date.now();
      this.o.log.warn({ err }, 'config cache: Redis tier unavailable; reading PostgreSQL directly');
    }
  }

  private scheduleRefresh(): void {
    if (this.stopped) return;
    const delay = nextRefreshDelayMs(this.o.refreshMs, this.o.refreshJitterMs, this.o.random);
    this.nextRefreshAt = new Date(Date.now() + delay);
    this.refreshTimer = setTimeout(() => {
      this.refreshAll().catch(() => undefined).finally(() => this.scheduleRefresh());
    }, delay);
    this.refreshTimer.unref();
  }
}
