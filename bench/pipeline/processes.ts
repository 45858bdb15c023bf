/**
 * The pipeline's processes started as the Procfile starts them (`node [its flags] apps/<app>/dist/main.js`), from
 * a built tree (this checkout, or an older commit's worktree for the "before" figure), each on its
 * own port; and what /proc says about a process: CPU seconds and resident memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { procfileNodeArgs } from '../support/procfile.js';

export type AppName = 'ingest' | 'workers' | 'gateway' | 'sandbox';

export interface App {
  label: string;
  app: AppName;
  proc: ChildProcess;
  /** The port its /health answers on. */
  port: number;
  /** Last lines of its output, to explain a failure. */
  tail: string[];
}

export function startApp(tree: string, app: AppName, label: string, port: number, env: Record<string, string>, nodeArgs: string[] = []): App {
  const proc = spawn(process.execPath, [...procfileNodeArgs(tree, app), ...nodeArgs, join(tree, `apps/${app}/dist/main.js`)], {
    cwd: tree, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const a: App = { label, app, proc, port, tail: [] };
  const keep = (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line) a.tail.push(line.slice(0, 300));
    if (a.tail.length > 30) a.tail.splice(0, a.tail.length - 30);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return a;
}

export async function healthStatus(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    await res.text();
    return res.status;
  } catch {
    return 0;
  }
}

/** Waits until /health answers (with 200 when `ok200`); throws with the process's last lines otherwise. */
export async function waitHealthy(a: App, ok200: boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await healthStatus(a.port);
    if (ok200 ? status === 200 : status !== 0) return;
    if (Date.now() > deadline || a.proc.exitCode !== null) {
      throw new Error(`${a.label} not healthy (status ${status}, exit ${a.proc.exitCode}):\n${a.tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function stopApp(a: App, graceMs = 15_000): Promise<void> {
  const p = a.proc;
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  const hard = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(hard);
}

const TICKS = 100; // USER_HZ on Linux

/** A process's CPU seconds in its own code (user) and in the kernel on its behalf (system calls, its sockets); 0 once it is gone. */
export function cpuTimes(pid: number): { user: number; kernel: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]) / TICKS, kernel: Number(f[12]) / TICKS };
  } catch {
    return { user: 0, kernel: 0 };
  }
}

/**
 * Times the process's main thread was switched out (voluntary: it waited for a socket, a timer; and
 * preempted): about how often it was woken, which on a VM costs the same whatever the message carried.
 * 0 once it is gone.
 */
export function contextSwitches(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0) + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * CPU seconds the hypervisor gave other guests while this machine wanted to run (the `steal` column of
 * /proc/stat, all cores): a VM on a busy host runs the same work slower, and this says when.
 */
export function stealSeconds(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    return Number(cpu[8] ?? 0) / TICKS;
  } catch {
    return 0;
  }
}

/**
 * Write system calls a process has made (`syscw` of /proc/<pid>/io: write, writev, sendmsg…); 0 once it
 * is gone. On this VM a write that wakes another process costs more than the work it carries, so
 * writes per event say what a round trip or a message between processes costs the pipeline.
 */
export function writeSyscalls(pid: number): number {
  try {
    return Number(/syscw:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}


export function loadAverage(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}
