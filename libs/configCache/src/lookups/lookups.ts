/**
 * What enriches a call's messages: the customer behind a phone, the manager behind an extension,
 * the line behind a trunk id. Read from PostgreSQL (customers, users/user_internal_phones,
 * gsm_lines/sip_lines) and kept a short while in this process. Customer lookups belong to the
 * enterprise's primary integration (smart.primary); until the CRM adapters exist they are answered
 * from the customers table, whatever the primary is.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { metrics } from '@callpipe/metrics';
import { TtlMap } from '../ttlMap.js';
import { phoneForms } from './phone.js';

export interface CustomerProfile {
  phone: string;
  found: boolean;
  last_name: string | null;
  first_name: string | null;
  middle_name: string | null;
  enterprise_name: string | null;
}

export interface ManagerInfo {
  internal_phone: string;
  full_name: string | null;
}

export interface LineInfo {
  line_id: string;
  line_name: string | null;
  phone_number: string | null;
  /** gsm_lines (by line_id) or sip_lines (by line_name); null when neither knows it. */
  kind: 'gsm' | 'sip' | null;
  /** GSM operator or SIP provider. */
  operator: string | null;
}

/** "Петров Иван Сергеевич" (family name first, as the old messages showed it), or null. */
export function personName(last: string | null, first: string | null, middle: string | null): string | null {
  const parts = [last, first, middle].map((p) => p?.trim()).filter((p): p is string => !!p);
  return parts.length ? parts.join(' ') : null;
}

/** The name a message shows for a customer: the person's, else the company's, else null. */
export function customerName(p: CustomerProfile): string | null {
  return personName(p.last_name, p.first_name, p.middle_name) ?? (p.enterprise_name?.trim() || null);
}

export class Lookups {
  private readonly cache: TtlMap<unknown>;
  private readonly sweeper: NodeJS.Timeout;
  hits = 0;
  misses = 0;

  constructor(private readonly db: Kysely<Database>, ttlMs: number, maxEntries = 10_000) {
    this.cache = new TtlMap(ttlMs, maxEntries);
    this.sweeper = setInterval(() => this.cache.sweep(Date.now()), Math.max(ttlMs, 1000));
    this.sweeper.unref();
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  /** phone must already be E.164 (see toE164). */
  customer(enterprise: string, phone: string): Promise<CustomerProfile> {
    return this.cached('customer', `c:${enterprise}:${phone}`, async () => {
      const row = await this.db.selectFrom('customers')
        .select(['last_name', 'first_name', 'middle_name', 'enterprise_name'])
        .where('enterprise_number', '=', enterprise).where('phone_e164', 'in', phoneForms(phone))
        .orderBy('updated_at', 'desc').limit(1).executeTakeFirst();
      return {
        phone, found: !!row,
        last_name: row?.last_name ?? null, first_name: row?.first_name ?? null,
        middle_name: row?.middle_name ?? null, enterprise_name: row?.enterprise_name ?? null,
      };
    });
  }

  manager(enterprise: string, extension: string): Promise<ManagerInfo> {
    return this.cached('metadata', `m:${enterprise}:${extension}`, async () => {
      const row = await this.db.selectFrom('user_internal_phones as p')
        .leftJoin('users as u', 'u.id', 'p.user_id')
        .select(['u.last_name', 'u.first_name', 'u.patronymic'])
        .where('p.enterprise_number', '=', enterprise).where('p.phone_number', '=', extension)
        .executeTakeFirst();
      return { internal_phone: extension, full_name: row ? personName(row.last_name, row.first_name, row.patronymic) : null };
    });
  }

  line(enterprise: string, lineId: string): Promise<LineInfo> {
    return this.cached('metadata', `l:${enterprise}:${lineId}`, async () => {
      const gsm = await this.db.selectFrom('gsm_lines').select(['line_name', 'phone_number', 'operator'])
        .where('enterprise_number', '=', enterprise).where('line_id', '=', lineId).executeTakeFirst();
      if (gsm) return { line_id: lineId, line_name: gsm.line_name, phone_number: gsm.phone_number, kind: 'gsm', operator: gsm.operator };
      const sip = await this.db.selectFrom('sip_lines').select(['line_name', 'phone_number', 'provider'])
        .where('enterprise_number', '=', enterprise).where('line_name', '=', lineId).executeTakeFirst();
      if (sip) return { line_id: lineId, line_name: sip.line_name, phone_number: sip.phone_number, kind: 'sip', operator: sip.provider };
      return { line_id: lineId, line_name: null, phone_number: null, kind: null, operator: null };
    });
  }

  get size(): number {
    return this.cache.size;
  }

  private async cached<T>(kind: 'customer' | 'metadata', key: string, load: () => Promise<T>): Promise<T> {
    const held = this.cache.get(key, Date.now()) as T | undefined;
    if (held !== undefined) {
      this.hits += 1;
      metrics.cacheRequests.inc({ cache: kind, result: 'hit' });
      return held;
    }
    this.misses += 1;
    metrics.cacheRequests.inc({ cache: kind, result: 'miss' });
    const value = await load();
    this.cache.set(key, value, Date.now());
    return value;
  }
}
