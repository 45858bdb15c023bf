/**
 * Customer and responsible manager by phone: `GET /api/v5/telephony/manager?phone=` answers the
 * manager RetailCRM would route the number to and the customer it belongs to; `GET /api/v5/customers`
 * (filter[name] also matches phones) finds a customer telephony/manager did not return.
 */
import type { CrmCustomer } from '../adapter.js';
import { e164, plainDigits } from './callType.js';

export function managerQuery(phone: string): Record<string, string> {
  return { phone: e164(phone), details: '1' };
}

/** RetailCRM's list endpoints accept only 20, 50 or 100 as limit. */
export function customersQuery(phone: string): Record<string, string> {
  return { 'filter[name]': plainDigits(phone), limit: '20' };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Json : null);
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** "Иван Иванович Петров": first name, patronymic, last name, whichever are filled in. */
export function fullName(c: Json): string {
  return [str(c.firstName), str(c.patronymic), str(c.lastName)].filter(Boolean).join(' ');
}

function customerOf(c: Json, link: string | undefined, baseUrl: string): CrmCustomer | null {
  const name = fullName(c);
  if (!name) return null;
  const id = str(c.id);
  const profile: Record<string, string> = {};
  for (const key of ['firstName', 'lastName', 'patronymic', 'email'] as const) if (str(c[key])) profile[key] = str(c[key]);
  if (id) profile.id = id;
  const url = link || (id ? `${baseUrl}/customers/${id}` : '');
  if (url) profile.link = url;
  return { name, profile };
}

/** The customer in a telephony/manager answer, or null. */
export function customerFromManagerAnswer(body: unknown, baseUrl: string): CrmCustomer | null {
  const b = obj(body);
  const c = obj(b?.customer);
  if (!c) return null;
  return customerOf(c, str(obj(b?.links)?.customerLink) || undefined, baseUrl);
}

/** Digits compared from the right: stored numbers may lack the country code ("80291234567" vs "375291234567"). */
export function samePhone(a: string, b: string): boolean {
  const x = plainDigits(a);
  const y = plainDigits(b);
  if (!x || !y) return false;
  const n = Math.min(x.length, y.length, 9);
  return n >= 7 && x.slice(-n) === y.slice(-n);
}

/** The first customer in a /customers answer with this phone among its phones. */
export function customerFromList(body: unknown, phone: string, baseUrl: string): CrmCustomer | null {
  const list = obj(body)?.customers;
  if (!Array.isArray(list)) return null;
  for (const item of list) {
    const c = obj(item);
    const phones = Array.isArray(c?.phones) ? c.phones : [];
    if (c && phones.some((p) => samePhone(str(obj(p)?.number), phone))) {
      const found = customerOf(c, undefined, baseUrl);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The responsible manager's extension: our own mapping for their user id first (the local mapping
 * wins, as in the old system), else the code RetailCRM holds for them; null when neither.
 */
export function responsibleFromManagerAnswer(body: unknown, userByExtension: ReadonlyMap<string, number>): string | null {
  const m = obj(obj(body)?.manager);
  if (!m) return null;
  const id = Number(str(m.id));
  for (const [ext, user] of userByExtension) if (user === id) return ext;
  const code = str(m.code);
  return /^\d+$/.test(code) ? code : null;
}
