/**
 * One drill's processes, started as the Procfile starts them (ingest, workers, gateway, sandbox),
 * each under a Supervised runner, on ports and a queue prefix of the drill's own, reaching PostgreSQL
 * through the suite's proxy. stop() ends every process; the Redis keys go with the private Redis.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, httpStatus, until } from './ports.js';
import type { Suite } from './suite.js';
import { LogTally, Supervised, type AppName, type CrashRecord } from './supervisor.js';

export interface Ports {
  ingest: number;
  gateway: number;
  workers: number;
  sandbox: number;
}

export class Stack {
  readonly logs = new LogTally();
  readonly procs: Supervised[] = [];
  readonly spoolDir = mkdtempSync(join(tmpdir(), 'callpipe-drill-spool-'));
  ports: Ports = { ingest: 0, gateway: 0, workers: 0, sandbox: 0 };
  private readonly adminPassword = randomBytes(9).toString('base64url');

  constructor(private readonly suite: Suite, readonly prefix: string, private readonly extraEnv: Record<string, string> = {}) {}

  async allocatePorts(): Promise<void> {
    this.ports = { ingest: await freePort(), gateway: await freePort(), workers: await freePort(), sandbox: await freePort() };
  }

  get ingestUrl(): string {
    return `http://127.0.0.1:${this.ports.ingest}`;
  }

  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      DATABASE_URL: this.suite.proxiedUrl,
      REDIS_URL: this.suite.redis!.url,
      QUEUE_PREFIX: this.prefix,
      INGEST_SPOOL_DIR: this.spoolDir,
      LOG_LEVEL: 'info',
      INGEST_PORT: String(this.ports.ingest),
      GATEWAY_PORT: String(this.ports.gateway),
      WORKERS_PORT: String(this.ports.workers),
      SANDBOX_PORT: String(this.ports.sandbox),
      TELEGRAM_API_BASE: `http://127.0.0.1:${this.ports.sandbox}`,
      SANDBOX_CALLS_PER_MINUTE: '0',
      // As the demo runs it: with Bull Board credentials set, a normal start has nothing to warn about.
      ADMIN_USER: 'drills',
      ADMIN_PASSWORD: this.adminPassword,
      // A SIGKILLed worker's jobs come back after 5 s instead of 30 s, to keep drills short.
      JOB_LOCK_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '5000',
      ...this.extraEnv,
      ...overrides,
    };
  }

  start(app: AppName, opts: { label?: string; env?: Record<string, string>; restart?: boolean; expectExit?: boolean } = {}): Supervised {
    const p = new Supervised({
      app, label: opts.label, root: this.suite.root, env: this.env(opts.env), logs: this.logs,
      restart: opts.restart, expectExit: opts.expectExit,
    });
    this.procs.push(p);
    p.start();
    return p;
  }

  /**
   * Starts the four Procfile processes and waits until each health endpoint answers (ingest: 200).
   * The workers (who publish the token set) first: start order is the cold-start drill's subject,
   * every other drill's row should measure its own fault only.
   */
  async startAll(): Promise<void> {
    this.start('sandbox');
    this.start('workers');
    // Generous: on a loaded 2-core machine a cold node process can take many seconds to listen.
    const workersUp = await until(async () => (await httpStatus(`http://127.0.0.1:${this.ports.workers}/health`)).status !== 0, 60_000, 250);
    if (!workersUp) throw new Error('workers /health did not answer within 60 s');
    this.start('ingest');
    this.start('gateway');
    await this.waitHealthy(60_000);
  }

  async waitHealthy(timeoutMs: number): Promise<void> {
    let seen = '';
    const ok = await until(async () => {
      const [ingest, workers, gateway, sandbox] = await Promise.all([
        httpStatus(`${this.ingestUrl}/health`),
        httpStatus(`http://127.0.0.1:${this.ports.workers}/health`),
        httpStatus(`http://127.0.0.1:${this.ports.gateway}/health`),
        httpStatus(`http://127.0.0.1:${this.ports.sandbox}/health`),
      ]);
      seen = `ingest ${ingest.status}, workers ${workers.status}, gateway ${gateway.status}, sandbox ${sandbox.status}`;
      return ingest.status === 200 && workers.status !== 0 && gateway.status !== 0 && sandbox.status !== 0;
    }, timeoutMs, 250);
    if (!ok) throw new Error(`processes not healthy within ${timeoutMs / 1000} s (health: ${seen})`);
  }

  get(label: string): Supervised {
    const p = this.procs.find((x) => x.label === label);
    if (!p) throw new Error(`no process ${label}`);
    return p;
  }

  crashes(): CrashRecord[] {
    return this.procs.flatMap((p) => p.crashes);
  }

  restarts(): number {
    return this.procs.reduce((n, p) => n + p.restarts, 0);
  }

  starts(): number {
    return this.procs.reduce((n, p) => n + p.starts, 0);
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.stop()));
    rmSync(this.spoolDir, { recursive: true, force: true });
  }
}
