/**
 * The ingest's in-memory copy of the active token set: read from Redis at start, re-read when the
 * workers announce a change (pub/sub) and every refresh interval (every second until the workers'
 * set is in hand). A snapshot on disk lets ingest keep accepting known tokens when it starts while
 * Redis is down or the set is missing.
 *
 * Only a set the workers published right now is authoritative: a token missing from it is refused
 * (403). From the snapshot, or from a set that vanished from Redis since (keys lost), a known token is
 * accepted and an unknown one is answered 503 (retryable), so start-up order never costs a valid event.
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from '@callpipe/logging';
import type { TokenMap, TokenStore } from '@callpipe/queues';

/** none: nothing to check against; snapshot: from disk; published: the workers' current set; stale: that set vanished from Redis. */
export type TokenSource = 'none' | 'snapshot' | 'published' | 'stale';

/** What a token check found: the enterprise, a definite refusal, or "ask again later". */
export type TokenVerdict = { enterprise: string } | 'unknown' | 'not-loaded';

const UNCONFIRMED_POLL_MS = 1000;

export class TokenCache {
  private map: TokenMap = new Map();
  private source: TokenSource = 'none';
  private timer: NodeJS.Timeout | null = null;
  private lastRead = 0;
  private readonly snapshotPath: string;

  constructor(
    private readonly store: TokenStore,
    private readonly subscriber: Redis,
    private readonly log: Logger,
    private readonly refreshMs: number,
    snapshotDir: string,
  ) {
    this.snapshotPath = join(snapshotDir, 'tokens.snapshot.json');
  }

  async start(): Promise<void> {
    await this.refresh();
    if (this.source === 'none') await this.loadSnapshot();
    this.subscriber.on('message', () => void this.refresh());
    // Not awaited: while Redis is down the subscription waits for it (and is renewed on every reconnect).
    this.subscriber.subscribe(this.store.channel()).catch((err: Error) =>
      this.log.warn({ err }, 'token change channel not subscribed; the periodic refresh covers it'));
    this.timer = setInterval(() => {
      if (this.source !== 'published' || Date.now() - this.lastRead >= this.refreshMs) void this.refresh();
    }, Math.min(UNCONFIRMED_POLL_MS, this.refreshMs));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  check(token: string): TokenVerdict {
    const enterprise = this.map.get(token);
    if (enterprise) return { enterprise };
    return this.source === 'published' ? 'unknown' : 'not-loaded';
  }

  /** Enterprise number of a token in the set held now, or undefined. */
  lookup(token: string): string | undefined {
    return this.map.get(token);
  }

  /** False until a token set was read from Redis or from the snapshot. */
  isLoaded(): boolean {
    return this.source !== 'none';
  }

  /** Where the set held now came from (health). */
  origin(): TokenSource {
    return this.source;
  }

  size(): number {
    return this.map.size;
  }

  /** Re-reads the set; true when Redis answered (whether or not a set was published). */
  async refresh(): Promise<boolean> {
    let next: TokenMap | null;
    try {
      next = await this.store.read();
    } catch (err) {
      this.log.debug({ err }, 'token set refresh failed');
      return false;
    }
    this.lastRead = Date.now();
    if (next === null) {
      if (this.source === 'published') {
        this.source = 'stale';
        this.log.warn({ tokens: this.map.size }, 'token set missing from redis; keeping the last one until the workers publish it again');
      }
      return true;
    }
    const changed = !sameMap(this.map, next) || this.source !== 'published';
    this.map = next;
    this.source = 'published';
    if (changed) {
      this.log.info({ tokens: next.size }, 'active token set loaded');
      await this.saveSnapshot(next);
    }
    return true;
  }

  private async saveSnapshot(map: TokenMap): Promise<void> {
    const tmp = `${this.snapshotPath}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(Object.fromEntries(map)), { mode: 0o600 });
      await rename(tmp, this.snapshotPath);
    } catch (err) {
      this.log.warn({ err }, 'token snapshot not written');
    }
  }

  private async loadSnapshot(): Promise<void> {
    let obj: Record<string, string>;
    try {
      obj = JSON.parse(await readFile(this.snapshotPath, 'utf8')) as Record<string, string>;
    } catch {
      // A first start: events are answered 503 (retryable) until the workers publish the set.
      this.log.info('no token set yet (waiting for the workers to publish it); events are answered 503 until then');
      return;
    }
    if (this.source !== 'none') return; // the published set arrived meanwhile
    this.map = new Map(Object.entries(obj));
    this.source = 'snapshot';
    this.log.info({ tokens: this.map.size }, 'token set not in redis yet; known tokens checked against the snapshot on disk, others answered 503 until the workers publish it');
  }
}

function sameMap(a: TokenMap, b: TokenMap): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
