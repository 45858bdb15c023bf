/**
 * Looking after the call log's partitions (what the old logger_partitions.sh did): sizes and counts
 * per enterprise, one enterprise's statistics, emptying one enterprise, and dropping data older than
 * a number of days.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { enterpriseLockKey } from './lockKeys.js';
import { CALL_LOG_TABLES, checkEnterprise, listPartitionedEnterprises, partitionName } from './partitions.js';

export interface PartitionRow {
  enterprise: string;
  calls: number;
  entries: number;
  /** Its partitions with their indexes, bytes (its share of the plain lookup tables is not counted). */
  bytes: number;
}

export async function listPartitions(db: Kysely<Database>): Promise<PartitionRow[]> {
  const enterprises = await listPartitionedEnterprises(db);
  if (enterprises.length === 0) return [];
  const names = enterprises.flatMap((e) => CALL_LOG_TABLES.map((t) => partitionName(t, e)));
  const [sizes, calls, entries] = await Promise.all([
    sql<{ name: string; bytes: string }>`SELECT relname AS name, pg_total_relation_size(oid) AS bytes FROM pg_class WHERE relname = SOME(${names}::text[]) AND relnamespace = current_schema()::regnamespace`.execute(db),
    sql<{ e: string; n: string }>`SELECT enterprise_number AS e, count(*) AS n FROM call_traces GROUP BY 1`.execute(db),
    sql<{ e: string; n: string }>`SELECT enterprise_number AS e, count(*) AS n FROM call_trace_entries GROUP BY 1`.execute(db),
  ]);
  const bytesOf = new Map(sizes.rows.map((r) => [r.name, Number(r.bytes)]));
  const callsOf = new Map(calls.rows.map((r) => [r.e, Number(r.n)]));
  const entriesOf = new Map(entries.rows.map((r) => [r.e, Number(r.n)]));
  return enterprises.map((e) => ({
    enterprise: e, calls: callsOf.get(e) ?? 0, entries: entriesOf.get(e) ?? 0,
    bytes: CALL_LOG_TABLES.reduce((sum, t) => sum + (bytesOf.get(partitionName(t, e)) ?? 0), 0),
  }));
}

export interface EnterpriseStats {
  enterprise: string;
  calls: number;
  byStatus: Record<string, number>;
  byDirection: Record<string, number>;
  avgEventsPerCall: number;
  firstCall: Date | null;
  lastCall: Date | null;
  entriesByKind: Record<string, number>;
  bytes: number;
}

export async function enterpriseStats(db: Kysely<Database>, enterprise: string): Promise<EnterpriseStats> {
  checkEnterprise(enterprise);
  const [calls, statuses, directions, kinds, size] = await Promise.all([
    sql<{ n: string; avg: string | null; first: Date | null; last: Date | null }>`
      SELECT count(*) AS n, avg(event_count) AS avg, min(start_time) AS first, max(start_time) AS last
      FROM call_traces WHERE enterprise_number = ${enterprise}`.execute(db),
    sql<{ k: string; n: string }>`SELECT status AS k, count(*) AS n FROM call_traces WHERE enterprise_number = ${enterprise} GROUP BY 1`.execute(db),
    sql<{ k: string | null; n: string }>`SELECT direction AS k, count(*) AS n FROM call_traces WHERE enterprise_number = ${enterprise} GROUP BY 1`.execute(db),
    sql<{ k: string; n: string }>`SELECT kind AS k, count(*) AS n FROM call_trace_entries WHERE enterprise_number = ${enterprise} GROUP BY 1`.execute(db),
    sql<{ bytes: string | null }>`SELECT sum(pg_total_relation_size(oid)) AS bytes FROM pg_class
      WHERE relname = SOME(${CALL_LOG_TABLES.map((t) => partitionName(t, enterprise))}::text[]) AND relnamespace = current_schema()::regnamespace`.execute(db),
  ]);
  const tally = (rows: { k: string | null; n: string }[]) => Object.fromEntries(rows.map((r) => [r.k ?? 'unknown', Number(r.n)]));
  const c = calls.rows[0]!;
  return {
    enterprise, calls: Number(c.n), byStatus: tally(statuses.rows), byDirection: tally(directions.rows),
    avgEventsPerCall: c.avg === null ? 0 : Math.round(Number(c.avg) * 10) / 10, firstCall: c.first, lastCall: c.last,
    entriesByKind: tally(kinds.rows), bytes: Number(size.rows[0]?.bytes ?? 0),
  };
}

/**
 * Empties one enterprise's call log: its partitions (they stay, ready for new calls) and its rows of
 * the lookup tables, in one transaction holding its key exclusively as retention does.
 */
export async function cleanupEnterprise(db: Kysely<Database>, enterprise: string): Promise<void> {
  checkEnterprise(enterprise);
  const known = await listPartitionedEnterprises(db);
  if (!known.includes(enterprise)) return;
  const names = CALL_LOG_TABLES.map((t) => sql.id(partitionName(t, enterprise)));
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${enterpriseLockKey(enterprise)}::bigint)`.execute(trx);
    await sql`TRUNCATE ${sql.join(names)}`.execute(trx);
    await sql`DELETE FROM call_ids WHERE enterprise_number = ${enterprise}`.execute(trx);
    await sql`DELETE FROM call_link_facts WHERE enterprise_number = ${enterprise}`.execute(trx);
  });
}

export interface RetentionCount {
  calls: number;
  entries: number;
  ids: number;
  facts: number;
}

/** What retention would delete: calls whose last event (or last update) is older than the cutoff, and their rows. */
export async function countOlderThan(db: Kysely<Database>, cutoff: Date): Promise<RetentionCount> {
  const { rows } = await sql<{ calls: string; entries: string; ids: string; facts: string }>`
    WITH old AS (SELECT enterprise_number, call_id FROM call_traces WHERE COALESCE(end_time, updated_at) < ${cutoff.toISOString()}::timestamptz)
    SELECT (SELECT count(*) FROM old) AS calls,
      (SELECT count(*) FROM call_trace_entries t JOIN old USING (enterprise_number, call_id)) AS entries,
      (SELECT count(*) FROM call_ids t JOIN old USING (enterprise_number, call_id)) AS ids,
      (SELECT count(*) FROM call_link_facts WHERE at < ${cutoff.toISOString()}::timestamptz) AS facts`.execute(db);
  const r = rows[0]!;
  return { calls: Number(r.calls), entries: Number(r.entries), ids: Number(r.ids), facts: Number(r.facts) };
}

/**
 * Deletes it, one enterprise per transaction so no transaction holds the whole log. Each holds its
 * enterprise's key exclusively, as a batch does (applyBatch.ts): a batch locks no call rows and counts
 * on no one else deleting its enterprise's calls meanwhile.
 */
export async function deleteOlderThan(db: Kysely<Database>, cutoff: Date): Promise<RetentionCount> {
  const total: RetentionCount = { calls: 0, entries: 0, ids: 0, facts: 0 };
  const at = cutoff.toISOString();
  for (const enterprise of await listPartitionedEnterprises(db)) {
    const { rows } = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${enterpriseLockKey(enterprise)}::bigint)`.execute(trx);
      return sql<{ calls: string; entries: string; ids: string; facts: string }>`
        WITH old AS (
          DELETE FROM call_traces WHERE enterprise_number = ${enterprise} AND COALESCE(end_time, updated_at) < ${at}::timestamptz
          RETURNING enterprise_number, call_id
        ), entries AS (
          DELETE FROM call_trace_entries t USING old WHERE t.enterprise_number = old.enterprise_number AND t.call_id = old.call_id RETURNING 1
        ), ids AS (
          DELETE FROM call_ids t USING old WHERE t.enterprise_number = old.enterprise_number AND t.call_id = old.call_id RETURNING 1
        ), facts AS (
          DELETE FROM call_link_facts WHERE enterprise_number = ${enterprise} AND at < ${at}::timestamptz RETURNING 1
        )
        SELECT (SELECT count(*) FROM old) AS calls, (SELECT count(*) FROM entries) AS entries,
          (SELECT count(*) FROM ids) AS ids, (SELECT count(*) FROM facts) AS facts`.execute(trx);
    });
    const r = rows[0]!;
    total.calls += Number(r.calls);
    total.entries += Number(r.entries);
    total.ids += Number(r.ids);
    total.facts += Number(r.facts);
  }
  return total;
}
