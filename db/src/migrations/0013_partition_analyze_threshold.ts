/**
 * Issue 12: the call log's partitions analyzed when 20,000 rows changed (plus 10 %), not 50: each
 * ANALYZE made every connection reload the partition's metadata and plan its statements again, about
 * once a minute per young partition (libs/db/src/callLogPartitions.ts says why and what it cost). The
 * workers make new partitions with the setting; this sets it on the partitions made before.
 */
import { sql, type Kysely } from 'kysely';
import { PARTITION_ANALYZE_THRESHOLD } from '@callpipe/db';

/** Every partition of the call-log tables, quoted for SQL. */
async function partitions(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname IN ('call_traces', 'call_trace_entries') AND p.relnamespace = current_schema()::regnamespace
  `.execute(db);
  return rows.map((r) => r.name);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const name of await partitions(db)) {
    await sql.raw(`ALTER TABLE ${name} SET (autovacuum_analyze_threshold = ${PARTITION_ANALYZE_THRESHOLD})`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of await partitions(db)) await sql.raw(`ALTER TABLE ${name} RESET (autovacuum_analyze_threshold)`).execute(db);
}
