/**
 * Names for a call message: the customer's, the managers' by extension and the line's by trunk. The
 * enterprise's own tables answer in ONE query (a round trip each was most of a sync's statements:
 * issue 12); the primary CRM's customer lookup runs beside it. Each has its own short timeout; one that
 * fails or is slow leaves its fields out and never holds the message back.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { TtlMap } from '@callpipe/config-cache';
import type { Logger } from '@callpipe/logging';
import type { Enrichment } from '@callpipe/telegram';

export interface EnrichWhat {
  enterprise: string;
  phone?: string | undefined;
  /** The customer's name from the enterprise's primary CRM (null: not known there); the customers table answers otherwise. */
  crmCustomerName?: (() => Promise<string | null>) | undefined;
  extensions: readonly string[];
  trunk?: string | undefined;
}

async function within<T>(ms: number, what: string, log: Logger, work: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  try {
    const out = await Promise.race([work(), timeout]);
    if (out === undefined) log.debug({ lookup: what, timeoutMs: ms }, 'enrichment lookup too slow; field left out');
    return out;
  } catch (err) {
    log.warn({ lookup: what, err: (err as Error).message }, 'enrichment lookup failed; field left out');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

const fullName = (...parts: (string | null)[]) => parts.filter((p) => p && p.trim()).join(' ').trim();

/** The names the enterprise's tables give for a call's parties (one statement's answer). */
export interface NamesRow {
  customer: { last_name: string | null; first_name: string | null; middle_name: string | null; enterprise_name: string | null } | null;
  managers: [string, string | null, string | null, string | null][];
  line: string | null;
}

/** The outside party's number as digits only: customers are stored as "+375…" or "375…". */
const phoneDigits = (w: EnrichWhat): string | null => (w.phone ? w.phone.replace(/\D/g, '') : null);

/**
 * customers, users by internal phone, gsm_lines then sip_lines: one statement, absent parts as nulls
 * (call_party_names, migration 0012: its plan is kept per connection instead of made on every lookup).
 */
async function namesFromTables(db: Kysely<Database>, w: EnrichWhat): Promise<NamesRow> {
  const digits = phoneDigits(w);
  const { rows } = await sql<NamesRow>`
    SELECT customer, managers, line FROM call_party_names(${w.enterprise}, ${digits ? [`+${digits}`, digits] : []}::text[], ${[...w.extensions]}::text[], ${w.trunk ?? null})
  `.execute(db);
  return rows[0] ?? { customer: null, managers: [], line: null };
}

/** The parties a names lookup asks about: the same ones answer the same (for `NAMES_CACHE_MS`). */
function namesKey(w: EnrichWhat): string {
  return JSON.stringify([w.enterprise, phoneDigits(w), [...w.extensions].sort(), w.trunk ?? null]);
}

/**
 * How long a process reuses the names it read: a call's messages (four stages, each to every recipient)
 * ask about the same parties again and again, and a renamed customer or manager may show the old name
 * this long.
 */
export const NAMES_CACHE_MS = 30_000;
/** Parties' names a process keeps at most (calls in flight ask about a few thousand at a time). */
const NAMES_CACHE_ENTRIES = 5000;

/** The names cache a workers process shares between its syncs. */
export function namesCache(): TtlMap<NamesRow> {
  return new TtlMap<NamesRow>(NAMES_CACHE_MS, NAMES_CACHE_ENTRIES);
}

async function cachedNames(db: Kysely<Database>, w: EnrichWhat, cache: TtlMap<NamesRow> | undefined): Promise<NamesRow> {
  return cache ? cache.getOrLoad(namesKey(w), () => namesFromTables(db, w)) : namesFromTables(db, w);
}

export async function enrich(db: Kysely<Database>, w: EnrichWhat, timeoutMs: number, log: Logger, cache?: TtlMap<NamesRow>): Promise<Enrichment> {
  const needed = w.phone !== undefined || w.extensions.length > 0 || w.trunk !== undefined;
  const tables = needed ? within(timeoutMs, 'names', log, () => cachedNames(db, w, cache)) : Promise.resolve(undefined);
  // The primary CRM within most of the wait, so the customers table still answers in time.
  const fromCrm = w.phone && w.crmCustomerName ? within(Math.floor(timeoutMs * 0.7), 'customer from CRM', log, w.crmCustomerName) : Promise.resolve(undefined);
  const [names, crmName] = await Promise.all([tables, fromCrm]);
  const c = w.phone ? names?.customer : null;
  const customerName = crmName || (c ? fullName(c.last_name, c.first_name, c.middle_name) || (c.enterprise_name ?? '') : '');
  const managerNames: Record<string, string> = {};
  // Family name first ("Джуновый Джулай"), as /metadata and the old messages name a manager.
  for (const [ext, last, first, middle] of names?.managers ?? []) { const n = fullName(last, first, middle); if (n) managerNames[ext] = n; }
  const lineName = w.trunk ? names?.line : null;
  return {
    ...(customerName ? { customerName } : {}),
    ...(Object.keys(managerNames).length ? { managerNames } : {}),
    ...(lineName ? { lineName } : {}),
  };
}
