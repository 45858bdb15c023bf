/**
 * Runs one Procfile process (`node [its flags] apps/<app>/dist/main.js`) the way a deployment's supervisor does:
 * a process that exits on its own is started again after a short pause and counted as a crash; one
 * the drill kills on purpose is started again and counted as a restart. Counts every log line and
 * keeps the loudest messages and each crash's last lines, to explain a failing row.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { procfileNodeArgs } from '../support/procfile.js';

export type AppName = 'ingest' | 'workers' | 'gateway' | 'sandbox';

export interface CrashRecord {
  app: string;
  code: number | null;
  signal: string | null;
  lastLines: string[];
}

/** Log lines of all processes of a drill, with the most frequent messages. */
export class LogTally {
  lines = 0;
  /** Lines at warn, error or fatal, and lines that are not pino JSON (stack traces): what floods hurt. */
  loudLines = 0;
  readonly byProc = new Map<string, number>();
  private readonly messages = new Map<string, number>();
  private readonly loudKeys = new Set<string>();

  add(proc: string, line: string): void {
    this.lines += 1;
    this.byProc.set(proc, (this.byProc.get(proc) ?? 0) + 1);
    const m = messageOf(line);
    if (m.loud) this.loudLines += 1;
    const key = `${proc}: ${m.text}`;
    if (m.loud) this.loudKeys.add(key);
    if (this.messages.size < 500 || this.messages.has(key)) this.messages.set(key, (this.messages.get(key) ?? 0) + 1);
  }

  top(count: number, loudOnly = false): { message: string; lines: number }[] {
    return [...this.messages].filter(([k]) => !loudOnly || this.loudKeys.has(k)).sort((a, b) => b[1] - a[1]).slice(0, count).map(([message, lines]) => ({ message, lines }));
  }
}

const LEVELS: Record<number, string> = { 60: 'fatal', 50: 'error', 40: 'warn', 30: 'info', 20: 'debug', 10: 'trace' };
const LOUD = new Set(['fatal', 'error', 'warn']);

/** A pino line's level and msg; any other line cut to 120 characters (and loud: a stack trace, a crash). */
function messageOf(line: string): { text: string; loud: boolean } {
  try {
    const v = JSON.parse(line) as { level?: number | string; msg?: string; err?: { message?: string } };
    const level = typeof v.level === 'number' ? (LEVELS[v.level] ?? String(v.level)) : String(v.level ?? '?');
    return { text: `${level} "${v.msg ?? ''}"${v.err?.message ? ` (${v.err.message.slice(0, 80)})` : ''}`, loud: LOUD.has(level) };
  } catch {
    return { text: line.slice(0, 120), loud: true };
  }
}

export interface SupervisedOptions {
  app: AppName;
  /** Label in logs and crash records ("workers#2"). */
  label?: string;
  root: string;
  env: Record<string, string>;
  logs: LogTally;
  /** Pause before starting a process that exited; default 500 ms. */
  restartDelayMs?: number;
  /** false: a process that exits stays down (still counted). Default true. */
  restart?: boolean;
  /** The drill expects this process to exit (a second ingest on a taken port): not a crash. */
  expectExit?: boolean;
}

export class Supervised {
  crashes: CrashRecord[] = [];
  restarts = 0;
  starts = 0;
  exits: { code: number | null; signal: string | null; atMs: number }[] = [];
  private proc: ChildProcess | null = null;
  private stopping = false;
  private killing = false;
  private tail: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = Date.now();

  constructor(private readonly o: SupervisedOptions) {}

  get label(): string {
    return this.o.label ?? this.o.app;
  }

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  start(): void {
    this.starts += 1;
    const proc = spawn(process.execPath, [...procfileNodeArgs(this.o.root, this.o.app), `apps/${this.o.app}/dist/main.js`], {
      cwd: this.o.root, env: { PATH: process.env.PATH ?? '', ...this.o.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const onData = (() => {
      let rest = '';
      return (d: Buffer) => {
        const parts = (rest + d.toString()).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) {
          if (!line) continue;
          this.o.logs.add(this.label, line);
          this.tail.push(line.slice(0, 400));
          if (this.tail.length > 40) this.tail.shift(); // an uncaught error's message sits above its stack
        }
      };
    })();
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code, signal) => {
      this.exits.push({ code, signal, atMs: Date.now() - this.startedAt });
      if (this.stopping) return;
      if (this.killing) {
        this.killing = false;
        this.restarts += 1;
        this.start();
        return;
      }
      if (this.o.expectExit) return;
      this.crashes.push({ app: this.label, code, signal, lastLines: [...this.tail] });
      if (this.o.restart === false) return;
      this.timer = setTimeout(() => { this.timer = null; if (!this.stopping) this.start(); }, this.o.restartDelayMs ?? 500);
    });
  }

  /** The drill's own fault: kill now, the supervisor starts it again at once. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    this.killing = true;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; no restart. */
  async stop(graceMs = 12_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const hard = setTimeout(() => p.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(hard);
  }
}
