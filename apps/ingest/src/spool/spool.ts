/**
 * The disk spool: where an event goes when Redis cannot take it. Appends are group-committed
 * (one write + fdatasync for all events that arrive together) and resolve only once durable.
 * Segments: `<time>-<pid>-<n>.open` while written, renamed `.jsonl` when sealed for draining.
 */
import { mkdir, open, readdir, rename, rm, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventJob } from '@callpipe/queues';

interface PendingAppend {
  data: string;
  count: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

const SEALED = '.jsonl';
const OPEN = '.open';
/** Open segments being written by live Spool instances of this process (tests run several in one). */
const ownedHere = new Set<string>();

export class Spool {
  private fh: FileHandle | null = null;
  private fhPath = '';
  private linesInOpenSegment = 0;
  private segmentCounter = 0;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private chain: Promise<unknown> = Promise.resolve();
  private lastError: string | null = null;

  constructor(readonly dir: string) {}

  /** Creates the directory and seals segments left open by processes that are gone. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith(OPEN)) continue;
      const pid = Number(name.split('-')[1]);
      const abandoned = pid === process.pid ? !ownedHere.has(join(this.dir, name)) : !isAlive(pid);
      if (abandoned) {
        await rename(join(this.dir, name), join(this.dir, name.slice(0, -OPEN.length) + SEALED));
      }
    }
  }

  /** Durably appends events; resolves after fdatasync, rejects if the disk refused. */
  append(jobs: readonly EventJob[]): Promise<void> {
    const data = jobs.map((j) => `${JSON.stringify(j)}\n`).join('');
    return new Promise((resolve, reject) => {
      this.pending.push({ data, count: jobs.length, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        void this.serialize(() => this.flush());
      }
    });
  }

  /** Closes the open segment (if it holds anything) and lists sealed segments, oldest first. */
  seal(): Promise<string[]> {
    return this.serialize(async () => {
      if (this.fh && this.linesInOpenSegment > 0) {
        await this.fh.close();
        ownedHere.delete(this.fhPath);
        await rename(this.fhPath, this.fhPath.slice(0, -OPEN.length) + SEALED);
        this.fh = null;
        this.linesInOpenSegment = 0;
      }
      return this.sealedSegments();
    });
  }

  async sealedSegments(): Promise<string[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith(SEALED)).sort();
    return names.map((n) => join(this.dir, n));
  }

  /** Reads a sealed segment; a torn last line (crash mid-write) is skipped and counted. */
  async readSegment(path: string): Promise<{ jobs: EventJob[]; skipped: number }> {
    const jobs: EventJob[] = [];
    let skipped = 0;
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      if (!line) continue;
      try {
        jobs.push(JSON.parse(line) as EventJob);
      } catch {
        skipped += 1;
      }
    }
    return { jobs, skipped };
  }

  async removeSegment(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /** Events written but not yet sealed, and whether the last write failed. */
  status(): { openEvents: number; lastError: string | null } {
    return { openEvents: this.linesInOpenSegment, lastError: this.lastError };
  }

  hasUnsealed(): boolean {
    return this.linesInOpenSegment > 0 || this.pending.length > 0;
  }

  async close(): Promise<void> {
    await this.serialize(async () => {
      await this.fh?.close();
      ownedHere.delete(this.fhPath);
      this.fh = null;
    });
  }

  private serialize<T>(op: () => Promise<T>): Promise<T> {
    const p = this.chain.then(op);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.pending.splice(0);
    if (!batch.length) return;
    try {
      const fh = await this.current();
      await fh.appendFile(batch.map((b) => b.data).join(''));
      await fh.datasync();
      this.linesInOpenSegment += batch.reduce((n, b) => n + b.count, 0);
      this.lastError = null;
      for (const b of batch) b.resolve();
    } catch (err) {
      this.lastError = (err as Error).message;
      // The segment may now hold a torn tail; start a fresh one for the next attempt.
      await this.fh?.close().catch(() => undefined);
      ownedHere.delete(this.fhPath);
      this.fh = null;
      for (const b of batch) b.reject(err as Error);
    }
  }

  private async current(): Promise<FileHandle> {
    if (this.fh) return this.fh;
    this.segmentCounter += 1;
    const name = `${String(Date.now()).padStart(15, '0')}-${process.pid}-${String(this.segmentCounter).padStart(6, '0')}${OPEN}`;
    this.fhPath = join(this.dir, name);
    this.fh = await open(this.fhPath, 'a', 0o600);
    ownedHere.add(this.fhPath);
    this.linesInOpenSegment = 0;
    // Make the new file's directory entry durable too.
    const dirHandle = await open(this.dir, 'r');
    await dirHandle.sync().finally(() => dirHandle.close());
    return this.fh;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
