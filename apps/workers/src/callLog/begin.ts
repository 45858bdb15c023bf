/**
 * The first half of applying an entry, done by call_log_begin() in PostgreSQL in one round trip
 * (db/src/migrations/0002_call_log.ts, 0004_no_party_link.ts): lock the entry's nodes and link keys, say whether the entry
 * is stored already, else find the calls it joins — by its ids and by the ring link of
 * libs/correlation (whose window is passed in) — and return them locked, with their summaries.
 * A call merged away while it was being locked raises 40001 and the transaction starts over.
 */
import { sql, type Transaction } from 'kysely';
import { RING_WINDOW } from '@callpipe/correlation';
import type { Database } from '@callpipe/db';
import type { EntryInput } from './entryInput.js';
import type { FoldRow } from './foldRow.js';
import { lockKey, sortedKeys } from './lockKeys.js';

export type Begun = { duplicateOf: string } | { duplicateOf: null; calls: Map<string, FoldRow | null> };

const ms = (n: number) => `${n} milliseconds`;

export async function beginEntry(trx: Transaction<Database>, input: EntryInput): Promise<Begun> {
  const e = input.enterprise;
  const f = input.facts;
  const locks = sortedKeys([...input.nodes, ...f.map((x) => x.key)].map((k) => lockKey(e, 'node', k)));
  const { rows } = await sql<{ duplicate_of: string | null; call_id: string; found: boolean } & FoldRow>`
    SELECT * FROM call_log_begin(${e}, ${input.entryKey}, ${locks}::bigint[], ${input.nodes}::text[],
      ${f.map((x) => x.key)}::text[], ${f.map((x) => x.role)}::text[], ${f.map((x) => new Date(x.at).toISOString())}::timestamptz[],
      ${ms(RING_WINDOW.beforeMs)}::interval, ${ms(RING_WINDOW.afterMs)}::interval)
  `.execute(trx);
  const dup = rows[0]?.duplicate_of;
  if (dup) return { duplicateOf: dup };
  return { duplicateOf: null, calls: new Map(rows.map((r) => [r.call_id, r.found ? r : null])) };
}
