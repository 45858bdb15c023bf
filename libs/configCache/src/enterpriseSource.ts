/**
 * Where entries come from: the enterprises table. An identifier is an enterprise number ("0367"),
 * a host token (name2) or a name ("june", any case); when one string matches several rows, the
 * number wins over the token, the token over the name, and the oldest row over younger ones.
 */
import { sql, type Kysely } from 'kysely';
import { NOTIFY, type Database } from '@callpipe/db';
import type { EnterpriseRow } from './entry.js';

export interface EnterpriseSource {
  /** The active enterprise an identifier names, or null. */
  loadOne(id: string): Promise<EnterpriseRow | null>;
  /** Every active enterprise (the full refresh). */
  loadAll(): Promise<EnterpriseRow[]>;
  /** The number of the enterprise an identifier names, active or not (for invalidation). */
  findNumber(id: string): Promise<string | null>;
}

const COLUMNS = ['number', 'name', 'name2', 'integrations_config'] as const;

function matching(db: Kysely<Database>, id: string) {
  return db.selectFrom('enterprises')
    .where((eb) => eb.or([eb('number', '=', id), eb('name2', '=', id), eb(sql<string>`lower(name)`, '=', id.toLowerCase())]))
    .orderBy(sql`number = ${id}`, 'desc').orderBy(sql`name2 IS NOT DISTINCT FROM ${id}`, 'desc').orderBy('id');
}

export function pgEnterpriseSource(db: Kysely<Database>): EnterpriseSource {
  return {
    async loadOne(id) {
      const row = await matching(db, id).select(COLUMNS).where('active', '=', true).limit(1).executeTakeFirst();
      return row ?? null;
    },
    async loadAll() {
      return db.selectFrom('enterprises').select(COLUMNS).where('active', '=', true).orderBy('id').execute();
    },
    async findNumber(id) {
      const row = await matching(db, id).select('number').limit(1).executeTakeFirst();
      return row?.number ?? null;
    },
  };
}

/** Tells every listening process that an enterprise changed, as the table's trigger does on a write. */
export function pgAnnounce(db: Kysely<Database>): (number: string) => Promise<void> {
  return async (number) => {
    await sql`SELECT pg_notify(${NOTIFY.enterprisesChanged}, ${number})`.execute(db);
  };
}
