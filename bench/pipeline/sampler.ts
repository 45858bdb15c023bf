/**
 * Once a second during a run: each queue's backlog (waiting + active + delayed + prioritized), CPU
 * seconds used since the last sample by each process group (the apps, Redis, PostgreSQL, the bench's
 * own hosts) and their resident memory, and the cores the hypervisor stole meanwhile (`steal`).
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { memoryMiB } from '../support/servers.js';
import { contextSwitches, cpuTimes, stealSeconds, writeSyscalls } from './processes.js';

export interface Sample {
  /** ms since the run started. */
  t: number;
  depth: Record<string, number>;
  /** Share of one core used since the previous sample, per group. */
  cpu: Record<string, number>;
  /** Share of one core spent in the kernel on the group's behalf, per group (part of `cpu`). */
  kernel: Record<string, number>;
  /** Write system calls a second since the previous sample, per group. */
  writes: Record<string, number>;
  /** Context switches a second since the previous sample, per group (main threads). */
  switches: Record<string, number>;
  /** Cores the hypervisor stole since the previous sample (all cores together). */
  steal: number;
  rssMiB: Record<string, number>;
}

/** A labelled group of processes whose pids may change (PostgreSQL backends come and go). */
export interface Group { label: string; pids: () => number[] }

function rss(pid: number): number {
  try {
    return memoryMiB(pid).rss;
  } catch {
    return 0;
  }
}

interface Counters { cpu: number; kernel: number; writes: number; switches: number }

function countersOf(pid: number): Counters {
  const t = cpuTimes(pid);
  return { cpu: t.user + t.kernel, kernel: t.kernel, writes: writeSyscalls(pid), switches: contextSwitches(pid) };
}
const COUNTERS = ['cpu', 'kernel', 'writes', 'switches'] as const;
/** Shares of a core keep three decimals; counts a second are whole. */
const perSecond = (k: keyof Counters, v: number): number => (k === 'cpu' || k === 'kernel' ? Number(v.toFixed(3)) : Math.round(v));

export class Sampler {
  readonly samples: Sample[] = [];
  private readonly queues: Queue[];
  private timer: NodeJS.Timeout | null = null;
  /** Each process's counters at the previous sample (COUNTERS). */
  private last = new Map<number, Counters>();
  private lastT = 0;
  private lastSteal = 0;
  private t0 = 0;

  constructor(connection: Redis, prefix: string, queueNames: string[], private readonly groups: Group[]) {
    this.queues = queueNames.map((name) => new Queue(name, { connection, prefix }));
  }

  start(t0: number): void {
    this.t0 = t0;
    this.lastT = performance.now();
    this.lastSteal = stealSeconds();
    for (const g of this.groups) for (const pid of g.pids()) this.last.set(pid, countersOf(pid));
    this.timer = setInterval(() => void this.sample(), 1000);
  }

  async depth(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const q of this.queues) {
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      out[q.name] = Object.values(c).reduce((a, b) => a + b, 0);
    }
    return out;
  }

  private async sample(): Promise<void> {
    const now = performance.now();
    const dt = (now - this.lastT) / 1000;
    this.lastT = now;
    const rates = Object.fromEntries(COUNTERS.map((k) => [k, {} as Record<string, number>])) as Record<keyof Counters, Record<string, number>>;
    const mem: Record<string, number> = {};
    for (const g of this.groups) {
      const used: Counters = { cpu: 0, kernel: 0, writes: 0, switches: 0 };
      let resident = 0;
      for (const pid of g.pids()) {
        const c = countersOf(pid);
        const before = this.last.get(pid) ?? c;
        for (const k of COUNTERS) used[k] += Math.max(0, c[k] - before[k]);
        this.last.set(pid, c);
        resident += rss(pid);
      }
      for (const k of COUNTERS) rates[k][g.label] = perSecond(k, used[k] / dt);
      mem[g.label] = resident;
    }
    const stolen = stealSeconds();
    const steal = Number((Math.max(0, stolen - this.lastSteal) / dt).toFixed(3));
    this.lastSteal = stolen;
    const depth = await this.depth().catch(() => ({}));
    this.samples.push({ t: Math.round(now - this.t0), depth, ...rates, steal, rssMiB: mem });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
