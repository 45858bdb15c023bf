/**
 * The call log's partitions: one per enterprise in call_traces and call_trace_entries, created on
 * first use (call_ids and call_link_facts, its lookup indexes, are plain tables: migration 0009).
 * Known enterprises are cached in memory (loaded once from the catalogue), so an event costs no
 * catalogue query; a miss creates the partitions under an advisory lock, so workers racing on a new
 * enterprise neither fail nor create twice.
 */
import { sql, type Kysely } from 'kysely';
import { PARTITION_ANALYZE_THRESHOLD, type Database } from '@callpipe/db';
import { lockKey } from './lockKeys.js';

export const CALL_LOG_TABLES = ['call_traces', 'call_trace_entries'] as const;
export type CallLogTable = (typeof CALL_LOG_TABLES)[number];

const ENTERPRISE = /^[A-Za-z0-9_]{1,10}$/;

export class PartitionNameError extends Error {
  override name = 'PartitionNameError';
}

/** An enterprise number fit to name a partition ("0367"); anything else is refused before it reaches SQL. */
export function checkEnterprise(enterprise: string): string {
  if (!ENTERPRISE.test(enterprise)) throw new PartitionNameError(`enterprise number must be 1-10 letters, digits or _, got ${JSON.stringify(enterprise)}`);
  return enterprise;
}

/** "call_traces_0367": the partitions are named after the enterprise. */
export function partitionName(table: CallLogTable, enterprise: string): string {
  return `${table}_${checkEnterprise(enterprise)}`;
}

const BOUND = /^FOR VALUES IN \('((?:[^']|'')*)'\)$/;

/** Enterprises that have a partition in every call-log table. */
export async function listPartitionedEnterprises(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ parent: string; bound: string }>`
    SELECT p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = SOME(${[...CALL_LOG_TABLES]}::text[]) AND p.relnamespace = current_schema()::regnamespace
  `.execute(db);
  const tablesOf = new Map<string, Set<string>>();
  for (const r of rows) {
    const m = BOUND.exec(r.bound);
    if (!m) continue;
    const enterprise = m[1]!.replace(/''/g, "'");
    const set = tablesOf.get(enterprise) ?? new Set<string>();
    set.add(r.parent);
    tablesOf.set(enterprise, set);
  }
  return [...tablesOf].filter(([, t]) => t.size === CALL_LOG_TABLES.length).map(([e]) => e).sort();
}

/**
 * Creates whatever partitions of the enterprise are missing; safe to run from many processes at once.
 * Each is made as a plain table and then ATTACHed: ATTACH PARTITION takes only a SHARE UPDATE
 * EXCLUSIVE lock on the parent, which writers of other enterprises do not conflict with, whereas
 * CREATE TABLE … PARTITION OF locks the parent exclusively and deadlocks against them.
 */
export async function createPartitions(db: Kysely<Database>, enterprise: string): Promise<string[]> {
  checkEnterprise(enterprise);
  const created: string[] = [];
  for (const table of CALL_LOG_TABLES) {
    const made = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${lockKey(enterprise, 'partitions', table)}::bigint)`.execute(trx);
      const { rows } = await sql<{ n: string }>`
        SELECT count(*) AS n FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = ${table} AND p.relnamespace = current_schema()::regnamespace
          AND pg_get_expr(c.relpartbound, c.oid) = ${`FOR VALUES IN ('${enterprise}')`}
      `.execute(trx);
      if (Number(rows[0]!.n) > 0) return null;
      const name = partitionName(table, enterprise);
      // Identifiers and the literal come from a checked enterprise number ([A-Za-z0-9_]).
      await sql`CREATE TABLE IF NOT EXISTS ${sql.id(name)} (LIKE ${sql.id(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
        WITH (autovacuum_analyze_threshold = ${sql.lit(PARTITION_ANALYZE_THRESHOLD)})`.execute(trx);
      await sql`ALTER TABLE ${sql.id(table)} ATTACH PARTITION ${sql.id(name)} FOR VALUES IN (${sql.lit(enterprise)})`.execute(trx);
      return name;
    });
    if (made) created.push(made);
  }
  return created;
}

/** The in-memory set of enterprises whose partitions exist, filled from the catalogue once. */
export class CallLogPartitions {
  private known: Set<string> | null = null;
  private loading: Promise<Set<string>> | null = null;
  private readonly creating = new Map<string, Promise<void>>();

  async ensure(db: Kysely<Database>, enterprise: string): Promise<void> {
    const known = this.known ?? (await this.load(db));
    if (known.has(enterprise)) return;
    let pending = this.creating.get(enterprise);
    if (!pending) {
      pending = createPartitions(db, enterprise).then(() => { known.add(enterprise); })
        .finally(() => this.creating.delete(enterprise));
      this.creating.set(enterprise, pending);
    }
    await pending;
  }

  /**
   * Creates the partitions every known enterprise lacks, one enterprise after another (run once at
   * start, in the background): an enterprise's first events then meet no DDL, whose ATTACH makes every
   * connection plan its call-log statements again (issue 12's profile). Returns how many it made.
   */
  async warm(db: Kysely<Database>): Promise<number> {
    const known = this.known ?? (await this.load(db));
    const rows = await db.selectFrom('enterprises').select('number').orderBy('number').execute();
    let made = 0;
    for (const { number } of rows) {
      if (known.has(number) || !ENTERPRISE.test(number)) continue;
      await this.ensure(db, number);
      made += 1;
    }
    return made;
  }

  /** After an insert found no partition (dropped by hand): the next ensure creates it again. */
  forget(enterprise: string): void {
    this.known?.delete(enterprise);
  }

  private async load(db: Kysely<Database>): Promise<Set<string>> {
    this.loading ??= listPartitionedEnterprises(db).then((list) => {
      this.known = new Set(list);
      return this.known;
    }).finally(() => { this.loading = null; });
    return this.loading;
  }
}
