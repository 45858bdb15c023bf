/**
 * A redis-server of a bench's or drill's own: a spare port, AOF with the fsync policy asked for,
 * noeviction, a temporary directory removed at the end. The drills fsync on every write (as
 * production should run it) and SIGKILL it to restart it on the same port and directory; the
 * pipeline bench fsyncs every second, as DESIGN says production runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface PrivateRedisOptions {
  appendfsync: 'always' | 'everysec';
  /** How the temporary directory's name starts. */
  dirPrefix: string;
  /** How destroy() stops the server. */
  stopSignal: 'SIGKILL' | 'SIGTERM';
}

export class PrivateRedis {
  proc: ChildProcess | null = null;
  readonly dir: string;

  constructor(readonly port: number, private readonly o: PrivateRedisOptions) {
    this.dir = mkdtempSync(join(tmpdir(), o.dirPrefix));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '',
      '--appendonly', 'yes', '--appendfsync', this.o.appendfsync, '--maxmemory-policy', 'noeviction',
    ], { stdio: 'ignore' });
    const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
    client.on('error', () => undefined); // refused until the server is up; ping waits for it
    const timeout = setTimeout(() => client.disconnect(), 10_000);
    try {
      await client.connect().catch(() => undefined);
      await client.ping();
    } finally {
      clearTimeout(timeout);
      client.disconnect();
    }
  }

  /** SIGKILL: no goodbye, no final fsync beyond what the fsync policy already did. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  async destroy(): Promise<void> {
    await this.stop(this.o.stopSignal);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async stop(signal: NodeJS.Signals): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill(signal);
    await exited;
  }
}
