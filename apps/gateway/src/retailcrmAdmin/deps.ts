/** What the admin's routes and actions share, and small readers of the stored retailcrm settings. */
import type { Logger } from '@callpipe/logging';
import type { AdminCrm } from './crmCalls.js';
import type { AdminSessions } from './session.js';
import type { AdminStore, Settings } from './store.js';
import { readAccountLink, type AccountLink } from './tokens.js';

export interface AdminDeps {
  store: AdminStore;
  crm: AdminCrm;
  sessions: AdminSessions;
  /** HS256 key of links and sessions. */
  key: Uint8Array;
  publicBaseUrl: string;
  moduleCode: string;
  linkDays: number;
  adminUser: string | undefined;
  adminPassword: string | undefined;
  log: Logger;
}

export interface ModuleState {
  code: string;
  registered_at: string;
  active: boolean;
  deactivated_at?: string;
}

export function moduleStateOf(s: Settings): ModuleState | null {
  const m = s.module;
  if (typeof m !== 'object' || m === null) return null;
  const r = m as Record<string, unknown>;
  return typeof r.registered_at === 'string' && typeof r.code === 'string'
    ? { code: r.code, registered_at: r.registered_at, active: r.active === true, ...(typeof r.deactivated_at === 'string' ? { deactivated_at: r.deactivated_at } : {}) } : null;
}

/** The module is live in RetailCRM (registered, not deleted) and its link is current. */
export function liveLink(s: Settings): AccountLink | null {
  return moduleStateOf(s)?.active ? readAccountLink(s.account_link) : null;
}

/** "••••3f9a": enough to recognise a key, never enough to use it. */
export function maskKey(key: unknown): string | null {
  if (typeof key !== 'string' || key.trim() === '') return null;
  const k = key.trim();
  return k.length <= 8 ? '••••' : `••••${k.slice(-4)}`;
}

/** "example.retailcrm.ru/" → "https://example.retailcrm.ru"; a pasted …/api/v5 is cut off. */
export function normaliseDomain(raw: string): string {
  let d = raw.trim();
  if (d === '') return '';
  if (!/^https?:\/\//i.test(d)) d = `https://${d}`;
  return d.replace(/\/+$/, '').replace(/\/api\/v5$/, '').replace(/\/+$/, '');
}
