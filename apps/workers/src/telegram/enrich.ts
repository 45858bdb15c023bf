/**
 * Names for a call message: the customer's, the managers' by extension and the line's by trunk. Each
 * lookup has its own short timeout; one that fails or is slow leaves its field out and never holds
 * the message back.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
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

export async function enrich(db: Kysely<Database>, w: EnrichWhat, timeoutMs: number, log: Logger): Promise<Enrichment> {
  const e = w.enterprise;
  const customer = w.phone ? within(timeoutMs, 'customer', log, async () => {
    // The primary CRM first, within most of the wait, so the customers table still answers in time.
    const fromCrm = w.crmCustomerName ? await within(Math.floor(timeoutMs * 0.7), 'customer from CRM', log, w.crmCustomerName) : undefined;
    if (fromCrm) return fromCrm;
    const digits = w.phone!.replace(/\D/g, '');
    const row = await db.selectFrom('customers').select(['first_name', 'last_name', 'middle_name', 'enterprise_name'])
      .where('enterprise_number', '=', e).where('phone_e164', 'in', [`+${digits}`, digits]).executeTakeFirst();
    const name = row ? fullName(row.last_name, row.first_name, row.middle_name) || (row.enterprise_name ?? '') : '';
    return name || null;
  }) : Promise.resolve(undefined);
  const managers = w.extensions.length ? within(timeoutMs, 'managers', log, async () => {
    const rows = await db.selectFrom('user_internal_phones as p').innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.phone_number', 'u.first_name', 'u.last_name', 'u.patronymic'])
      .where('p.enterprise_number', '=', e).where('p.phone_number', 'in', [...w.extensions]).execute();
    const names: Record<string, string> = {};
    // Family name first ("Джуновый Джулай"), as /metadata and the old messages name a manager.
    for (const r of rows) { const n = fullName(r.last_name, r.first_name, r.patronymic); if (n) names[r.phone_number] = n; }
    return names;
  }) : Promise.resolve(undefined);
  const line = w.trunk ? within(timeoutMs, 'line', log, async () => {
    const gsm = await db.selectFrom('gsm_lines').select('line_name').where('enterprise_number', '=', e).where('line_id', '=', w.trunk!).executeTakeFirst();
    if (gsm?.line_name) return gsm.line_name;
    const sip = await db.selectFrom('sip_lines').select('line_name').where('enterprise_number', '=', e).where('line_name', '=', w.trunk!).executeTakeFirst();
    return sip?.line_name ?? null;
  }) : Promise.resolve(undefined);
  const [customerName, managerNames, lineName] = await Promise.all([customer, managers, line]);
  return {
    ...(customerName ? { customerName } : {}),
    ...(managerNames && Object.keys(managerNames).length ? { managerNames } : {}),
    ...(lineName ? { lineName } : {}),
  };
}
