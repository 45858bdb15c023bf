/**
 * What one event costs, counted on the bench's own Redis and PostgreSQL between two marks: Redis
 * commands (INFO commandstats; commands a Lua script runs are counted under their own names too),
 * SQL statements (pg_stat_statements of the bench database; BEGIN/COMMIT apart), transactions
 * (pg_stat_database xact_commit + xact_rollback) and jobs completed per queue (QueueEvents).
 */
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';

export interface CostMark {
  redis: Record<string, number>;
  xacts: number;
}

export interface Costs {
  events: number;
  /** Less what the same time costs with nothing flowing. */
  redisCommandsPerEvent: number;
  /** The five most frequent Redis commands, per event. */
  redisTop: Record<string, number>;
  evalshaPerEvent: number;
  /** Statements sent by the clients (round trips, BEGIN/COMMIT apart). */
  sqlStatementsPerEvent: number;
  /** Statements run inside functions (PL/pgSQL) on top of those. */
  sqlNestedPerEvent: number;
  /** BEGIN, COMMIT, ROLLBACK per event. */
  txControlPerEvent: number;
  transactionsPerEvent: number;
  /** The statements that cost the most time in total: calls per event and mean ms. */
  sqlTop: { query: string; callsPerEvent: number; meanMs: number; totalMsPerEvent: number; planMsPerEvent: number; planMeanMs: number; planMaxMs: number }[];
  /** The statements run inside functions, by time (execution + planning) per event. */
  sqlNestedTop: { query: string; callsPerEvent: number; execMsPerEvent: number; planMsPerEvent: number }[];
  /** Milliseconds of PostgreSQL per event: top-level execution (nested included) and planning of every statement. */
  sqlMsPerEvent: { exec: number; plan: number };
  jobsPerEvent: Record<string, number>;
}

export async function redisCommandStats(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

export async function mark(redis: Redis, pool: pg.Pool, database: string): Promise<CostMark> {
  const { rows } = await pool.query<{ n: string }>('SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1', [database]);
  return { redis: await redisCommandStats(redis), xacts: Number(rows[0]?.n ?? 0) };
}

/** Counts completed jobs per queue while it listens. */
export class JobCounter {
  readonly completed: Record<string, number> = {};
  private readonly listeners: QueueEvents[];

  constructor(redisUrl: string, prefix: string, queueNames: string[]) {
    this.listeners = queueNames.map((name) => {
      const qe = new QueueEvents(name, { connection: { url: redisUrl } as never, prefix });
      this.completed[name] = 0;
      qe.on('completed', () => { this.completed[name] = (this.completed[name] ?? 0) + 1; });
      return qe;
    });
  }

  async ready(): Promise<void> {
    await Promise.all(this.listeners.map((l) => l.waitUntilReady()));
  }

  snapshot(): Record<string, number> {
    return { ...this.completed };
  }

  async close(): Promise<void> {
    await Promise.all(this.listeners.map((l) => l.close()));
  }
}

export async function resetStatements(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT pg_stat_statements_reset()');
}

/** Redis commands a second with no events flowing (blocking reads, stalled checks, the bench's own sampling). */
export function idleRate(a: CostMark, b: CostMark, seconds: number): number {
  const sum = (m: CostMark) => Object.values(m.redis).reduce((x, y) => x + y, 0);
  return (sum(b) - sum(a)) / seconds;
}

/** `idle`: Redis commands a second with nothing flowing, times the phase's seconds, come off the total. */
export async function costsBetween(
  redis: Redis, pool: pg.Pool, database: string, before: CostMark, jobsBefore: Record<string, number>, jobsAfter: Record<string, number>, events: number,
  idle: { perSec: number; seconds: number },
): Promise<Costs> {
  const after = await mark(redis, pool, database);
  const per = (n: number) => Math.round((n / Math.max(1, events)) * 100) / 100;
  const redisDelta: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.redis)) {
    const d = v - (before.redis[k] ?? 0);
    if (d > 0) redisDelta[k] = d;
  }
  const redisTotal = Object.values(redisDelta).reduce((a, b) => a + b, 0);
  const { rows } = await pool.query<{ query: string; calls: string; total: number; plan: number; planMean: number; planMax: number; toplevel: boolean }>(
    `SELECT s.query, s.calls::text AS calls, s.total_exec_time AS total, s.total_plan_time AS plan, s.mean_plan_time AS "planMean",
       s.max_plan_time AS "planMax", s.toplevel FROM pg_stat_statements s
     JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 ORDER BY s.total_exec_time DESC`, [database],
  );
  const isTx = (q: string) => /^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)\b/i.test(q);
  const statements = rows.filter((r) => !isTx(r.query) && r.toplevel).reduce((n, r) => n + Number(r.calls), 0);
  const nested = rows.filter((r) => !r.toplevel).reduce((n, r) => n + Number(r.calls), 0);
  const tx = rows.filter((r) => isTx(r.query)).reduce((n, r) => n + Number(r.calls), 0);
  const jobs: Record<string, number> = {};
  for (const [k, v] of Object.entries(jobsAfter)) jobs[k] = per(v - (jobsBefore[k] ?? 0));
  return {
    events,
    redisCommandsPerEvent: per(Math.max(0, redisTotal - idle.perSec * idle.seconds)),
    redisTop: Object.fromEntries(Object.entries(redisDelta).sort((a, b) => b[1] - a[1]).slice(0, 24).map(([k, v]) => [k, per(v)])),
    evalshaPerEvent: per((redisDelta.evalsha ?? 0) + (redisDelta.eval ?? 0)),
    sqlStatementsPerEvent: per(statements),
    sqlNestedPerEvent: per(nested),
    txControlPerEvent: per(tx),
    transactionsPerEvent: per(after.xacts - before.xacts),
    sqlTop: rows.filter((r) => !isTx(r.query) && r.toplevel).sort((a, b) => Number(b.calls) - Number(a.calls)).slice(0, 12).map((r) => ({
      query: r.query.replace(/\s+/g, ' ').slice(0, 120), callsPerEvent: per(Number(r.calls)),
      meanMs: Math.round((r.total / Math.max(1, Number(r.calls))) * 100) / 100, totalMsPerEvent: Math.round((r.total / Math.max(1, events)) * 100) / 100,
      planMsPerEvent: Math.round((r.plan / Math.max(1, events)) * 1000) / 1000,
      planMeanMs: Math.round(r.planMean * 1000) / 1000, planMaxMs: Math.round(r.planMax * 100) / 100,
    })),
    sqlNestedTop: rows.filter((r) => !r.toplevel).sort((a, b) => (b.total + b.plan) - (a.total + a.plan)).slice(0, 16).map((r) => ({
      query: r.query.replace(/\s+/g, ' ').slice(0, 120), callsPerEvent: per(Number(r.calls)),
      execMsPerEvent: Math.round((r.total / Math.max(1, events)) * 1000) / 1000, planMsPerEvent: Math.round((r.plan / Math.max(1, events)) * 1000) / 1000,
    })),
    sqlMsPerEvent: {
      exec: Math.round((rows.filter((r) => r.toplevel).reduce((n, r) => n + r.total, 0) / Math.max(1, events)) * 1000) / 1000,
      plan: Math.round((rows.reduce((n, r) => n + r.plan, 0) / Math.max(1, events)) * 1000) / 1000,
    },
    jobsPerEvent: jobs,
  };
}
