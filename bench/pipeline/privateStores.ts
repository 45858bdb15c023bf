/**
 * The bench's own PostgreSQL cluster (its redis-server is ../support/privateRedis.ts), so the CPU
 * and pg_stat_statements it reads belong to this run alone (the machine's shared server serves every
 * other session too): defaults (fsync and synchronous_commit on) plus pg_stat_statements, in a
 * temporary directory removed at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool } from '@callpipe/db';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function stop(proc: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill(signal);
  await exited;
}

/** PostgreSQL refuses to run as root: when the bench is root, the cluster runs as the postgres user. */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** BENCH_PG_SETTINGS: more server settings for the private cluster, "name=value;name=value" (a setting's effect measured, e.g. autovacuum's). */
function extraSettings(): string[] {
  return (process.env.BENCH_PG_SETTINGS ?? '').split(';').map((kv) => kv.trim()).filter((kv) => /^[a-z_.]+=\S+$/.test(kv));
}

export class PrivatePostgres {
  proc: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'callpipe-bench-pg-'));

  constructor(readonly port: number, private readonly bin = process.env.BENCH_PG_BIN ?? '') {}

  /** Over loopback TCP, or (BENCH_PG_SOCKET=1) over the Unix socket, as a PostgreSQL on the same host is best reached. */
  url(database: string): string {
    if (process.env.BENCH_PG_SOCKET === '1') return `postgres://postgres@localhost:${this.port}/${database}?host=${encodeURIComponent(this.dir)}`;
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private tool(name: string): string {
    return this.bin ? join(this.bin, name) : name;
  }

  async start(): Promise<void> {
    const user = runAs();
    if ('uid' in user) chownSync(this.dir, user.uid, user.gid);
    const data = join(this.dir, 'data');
    const init = spawnSync(this.tool('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...user, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
    this.proc = spawn(this.tool('postgres'), [
      '-D', data, '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1',
      '-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all',
      '-c', 'pg_stat_statements.track_planning=on',
      '-c', 'max_connections=300',
      ...extraSettings().flatMap((kv) => ['-c', kv]),
    ], { ...user, stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.query('postgres', 'SELECT 1');
        return;
      } catch (err) {
        if (Date.now() > deadline || this.proc.exitCode !== null) throw new Error(`private PostgreSQL did not start: ${(err as Error).message}`);
        await sleep(200);
      }
    }
  }

  /** One statement on a connection of its own. */
  async query(database: string, text: string): Promise<void> {
    const pool = createPool({ connectionString: this.url(database), max: 1, applicationName: 'bench-pipeline-admin' });
    try {
      await pool.query(text);
    } finally {
      await pool.end();
    }
  }

  async createDatabase(name: string): Promise<void> {
    await this.query('postgres', `CREATE DATABASE "${name}"`);
    await this.query(name, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  }

  /** The postmaster and every backend and helper it forked (CPU of "PostgreSQL"). */
  pids(): number[] {
    const root = this.proc?.pid;
    if (!root) return [];
    const out = spawnSync('pgrep', ['-P', String(root)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
    return [root, ...out];
  }

  async destroy(): Promise<void> {
    await stop(this.proc, 'SIGINT');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
