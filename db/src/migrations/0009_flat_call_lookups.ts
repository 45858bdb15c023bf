/**
 * Issue 12: call_ids and call_link_facts become plain tables; call_traces and call_trace_entries stay
 * LIST-partitioned by enterprise.
 *
 * The two are the call log's lookup indexes (an id → its call; a ring fact → the channel it names),
 * read by every entry of a batch. Through a partitioned parent each such statement is planned for
 * its enterprise's partition at every run (force_custom_plan: a generic plan would lock every
 * partition, see 0006) and locks that partition and its indexes until COMMIT, so a batch of entries
 * from fifty enterprises held some 250 more relation locks for these two tables alone. Measured in
 * psql on 400 enterprises: the id lookup 72 µs a run through the parent, 37 µs on a plain table;
 * under bench/pipeline's load pg_stat_statements put the two lookups' planning at 0.37 ms of the
 * 0.79 ms planned per event. Every key and query still names the enterprise first, so nothing else
 * changes: retention deletes by enterprise as before, and GET /trace/{id} (which does not know the
 * enterprise) probes one index instead of one per partition.
 */
import { sql, type Kysely } from 'kysely';

interface TableShape {
  name: string;
  columns: string;
  primaryKey: string;
  indexes: string[];
}

const TABLES: TableShape[] = [
  {
    name: 'call_ids',
    columns: 'enterprise_number varchar(10) NOT NULL, id_value text NOT NULL, call_id text NOT NULL',
    primaryKey: 'enterprise_number, id_value',
    indexes: [
      'CREATE INDEX call_ids_call_idx ON call_ids (enterprise_number, call_id)',
      'CREATE INDEX call_ids_id_idx ON call_ids (id_value)',
    ],
  },
  {
    name: 'call_link_facts',
    // span stays (always NULL since 0004) until the functions that name it are redefined without it.
    columns: 'enterprise_number varchar(10) NOT NULL, link_key text NOT NULL, role text NOT NULL, at timestamptz NOT NULL, entry_key text NOT NULL, node text NOT NULL, span text',
    primaryKey: 'enterprise_number, link_key, role, at, entry_key',
    indexes: [],
  },
];

const columnNames = (columns: string) => columns.split(',').map((c) => c.trim().split(' ')[0]).join(', ');

/**
 * Rebuilds table `t` keeping its rows, key and indexes: plain, or LIST-partitioned with a partition for
 * every enterprise that has a call_traces partition (the workers make the rest on first use).
 */
function rebuild(t: TableShape, partitioned: boolean): string {
  const cols = columnNames(t.columns);
  const partitions = partitioned ? `
    DO $do$ DECLARE e text; BEGIN
      FOR e IN SELECT substring(pg_get_expr(c.relpartbound, c.oid) FROM $re$IN \\('(.*)'\\)$re$) FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'call_traces' AND p.relnamespace = current_schema()::regnamespace LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF ${t.name}_0009 FOR VALUES IN (%L)', '${t.name}_' || e, e);
      END LOOP;
    END $do$;` : '';
  return `
    ALTER TABLE ${t.name} RENAME TO ${t.name}_before_0009;
    CREATE TABLE ${t.name}_0009 (${t.columns})${partitioned ? ' PARTITION BY LIST (enterprise_number)' : ''};${partitions}
    INSERT INTO ${t.name}_0009 (${cols}) SELECT ${cols} FROM ${t.name}_before_0009;
    DROP TABLE ${t.name}_before_0009;
    ALTER TABLE ${t.name}_0009 RENAME TO ${t.name};
    ALTER TABLE ${t.name} ADD PRIMARY KEY (${t.primaryKey});
    ${t.indexes.map((i) => `${i};`).join('\n    ')}
  `;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(TABLES.map((t) => rebuild(t, false)).join('\n')).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(TABLES.map((t) => rebuild(t, true)).join('\n')).execute(db);
}
