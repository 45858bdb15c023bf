/**
 * The ingest's in-memory copy of the active token set: read from Redis at start, re-read when the
 * workers announce a change (pub/sub) and every refresh interval. A snapshot on disk lets ingest
 * keep checking tokens when it starts while Redis is down.
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from '@callpipe/logging';
import type { TokenMap, TokenStore } from '@callpipe/queues';

export class TokenCache {
  private map: TokenMap = new Map();
  private loaded = false;
  private timer: NodeJS.Timeout | null = null;
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
    if (!(await this.refresh())) await this.loadSnapshot();
    this.subscriber.on('message', () => void this.refresh());
    // Not awaited: while Redis is down the subscription waits for it (and is renewed on every reconnect).
    this.subscriber.subscribe(this.store.channel()).catch((err: Error) =>
      this.log.warn({ err }, 'token change channel not subscribed; the periodic refresh covers it'));
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Enterprise number of an active token, or undefined. */
  lookup(token: string): string | undefined {
    return this.map.get(token);
  }

  /** False until a token set was read from Redis or from the snapshot. */
  isLoaded(): boolean {
    return this.loaded;
  }

  size(): number {
    return this.map.size;
  }

  async refresh(): Promise<boolean> {
    try {
      const next = await this.store.read();
      const changed = !sameMap(this.map, next);
      this.map = next;
      this.loaded = true;
      if (changed) {
        this.log.info({ tokens: next.size }, 'active token set loaded');
        await this.saveSnapshot(next);
      }
      return true;
    } catch (err) {
      this.log.debug({ err }, 'token set refresh failed');
      return false;
    }
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
    try {
      const obj = JSON.parse(await readFile(this.snapshotPath, 'utf8')) as Record<string, string>;
      this.map = new Map(Object.entries(obj));
      this.loaded = true;
      this.log.warn({ tokens: this.map.size }, 'redis unreachable at start; using the token snapshot on disk');
    } catch {
      this.log.error('redis unreachable and no token snapshot: events are refused with 503 until redis answers');
    }
  }
}

function sameMap(a: TokenMap, b: TokenMap): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
