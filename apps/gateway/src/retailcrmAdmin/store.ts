/**
 * What the RetailCRM admin reads and writes in PostgreSQL: the enterprise and its
 * `integrations_config.retailcrm`, its internal numbers (user_internal_phones with their owners),
 * and integration_logs. A write locks the enterprise row, applies a change to the retailcrm settings,
 * commits (the enterprises trigger NOTIFYs), then invalidates the config cache everywhere.
 */
import { sql, type Kysely } from 'kysely';
import type { ConfigCache } from '@callpipe/config-cache';
import { integrationError } from '@callpipe/config-cache';
import type { Database } from '@callpipe/db';

export type Settings = Record<string, unknown>;

export interface AdminEnterprise {
  number: string;
  name: string;
  active: boolean;
  retailcrm: Settings;
}

export interface InternalPhone {
  number: string;
  /** The PBX user who owns it (users table), null when free. */
  owner: string | null;
}

export class SettingsRefused extends Error {}

const asObject = (v: unknown): Settings => (typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(v as Settings) } : {});

export class AdminStore {
  constructor(private readonly db: Kysely<Database>, private readonly cache: ConfigCache) {}

  async enterprise(number: string): Promise<AdminEnterprise | null> {
    const row = await this.db.selectFrom('enterprises').select(['number', 'name', 'active', 'integrations_config'])
      .where('number', '=', number).executeTakeFirst();
    if (!row) return null;
    return { number: row.number, name: row.name, active: row.active, retailcrm: asObject(asObject(row.integrations_config).retailcrm) };
  }

  async enterprises(): Promise<{ number: string; name: string; retailcrm: boolean }[]> {
    const rows = await this.db.selectFrom('enterprises').select(['number', 'name', 'integrations_config']).orderBy('number').execute();
    return rows.map((r) => ({ number: r.number, name: r.name, retailcrm: asObject(asObject(r.integrations_config).retailcrm).enabled === true }));
  }

  async internalPhones(enterprise: string): Promise<InternalPhone[]> {
    const rows = await this.db.selectFrom('user_internal_phones as p').leftJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.phone_number', 'u.first_name', 'u.last_name', 'u.patronymic'])
      .where('p.enterprise_number', '=', enterprise).execute();
    const byNumber = new Map<string, InternalPhone>();
    for (const r of rows) {
      const owner = [r.first_name, r.last_name].filter((s) => s && s.trim()).join(' ').trim() || null;
      const held = byNumber.get(r.phone_number);
      if (!held || (!held.owner && owner)) byNumber.set(r.phone_number, { number: r.phone_number, owner });
    }
    return [...byNumber.values()].sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }));
  }

  /**
   * Applies `change` to the locked retailcrm settings and commits; the result is schema-checked first
   * (a refusal throws SettingsRefused and nothing is written). Resolves to the stored settings.
   */
  async update<T>(enterprise: string, change: (current: Settings) => { next: Settings; result: T }): Promise<{ settings: Settings; result: T }> {
    const out = await this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('enterprises').select(['integrations_config']).where('number', '=', enterprise).forUpdate().executeTakeFirst();
      if (!row) throw new SettingsRefused(`enterprise ${enterprise} does not exist`);
      const all = asObject(row.integrations_config);
      const { next, result } = change(asObject(all.retailcrm));
      const invalid = integrationError('retailcrm', next);
      if (invalid) throw new SettingsRefused(`retailcrm settings refused: ${invalid}`);
      await tx.updateTable('enterprises')
        .set({ integrations_config: sql<string>`jsonb_set(coalesce(integrations_config, '{}'::jsonb), '{retailcrm}', ${JSON.stringify(next)}::jsonb)`, updated_at: new Date() })
        .where('number', '=', enterprise).execute();
      return { settings: next, result };
    });
    // Committed: every process drops its cached copy now (this one waits for its own NOTIFY's echo).
    await this.cache.invalidate(enterprise);
    return out;
  }

  async logs(enterprise: string, f: LogFilter): Promise<LogRow[]> {
    let q = this.db.selectFrom('integration_logs').select(['id', 'created_at', 'integration_type', 'event_type', 'call_unique_id', 'status', 'http_status', 'error_message', 'duration_ms', 'attempt', 'request_data', 'response_data'])
      .where('enterprise_number', '=', enterprise);
    if (f.integration) q = q.where('integration_type', '=', f.integration);
    if (f.event) q = q.where('event_type', '=', f.event);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.call) q = q.where('call_unique_id', '=', f.call);
    if (f.from) q = q.where('created_at', '>=', f.from);
    if (f.to) q = q.where('created_at', '<', f.to);
    if (f.before) q = q.where('id', '<', f.before);
    const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
    return rows.map((r) => ({ ...r, id: String(r.id) }));
  }

  async logFacets(enterprise: string): Promise<{ integrations: string[]; events: string[]; statuses: string[] }> {
    const distinct = async (col: 'integration_type' | 'event_type' | 'status'): Promise<string[]> => {
      const rows = await this.db.selectFrom('integration_logs').select(col).distinct().where('enterprise_number', '=', enterprise).orderBy(col).limit(100).execute();
      return rows.map((r) => String(r[col]));
    };
    const [integrations, events, statuses] = await Promise.all([distinct('integration_type'), distinct('event_type'), distinct('status')]);
    return { integrations, events, statuses };
  }
}

export interface LogFilter {
  integration?: string;
  event?: string;
  status?: string;
  call?: string;
  from?: Date;
  to?: Date;
  /** Rows older than this id (the next page). */
  before?: string;
  limit: number;
}

export interface LogRow {
  id: string;
  created_at: Date;
  integration_type: string;
  event_type: string;
  call_unique_id: string | null;
  status: string;
  http_status: number | null;
  error_message: string | null;
  duration_ms: number | null;
  attempt: number;
  request_data: unknown;
  response_data: unknown;
}
