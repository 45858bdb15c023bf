/**
 * The query strings of the read routes, checked: a bad one is refused naming the parameter. Pure.
 * Dates are UTC: "2025-10-03" is the day from 00:00Z; `to` given as a day includes that whole day.
 */
import { normalizePhone, type CallStatus, type Direction } from '@callpipe/correlation';

export interface SearchParams {
  enterprise: string;
  phone?: string;
  from?: Date;
  to?: Date;
  direction?: Direction;
  status?: CallStatus;
  limit: number;
  offset: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const DIRECTIONS: readonly Direction[] = ['in', 'out', 'internal'];
const STATUSES: readonly CallStatus[] = ['active', 'answered', 'busy', 'missed', 'no_answer'];
const ENTERPRISE = /^[A-Za-z0-9_]{1,10}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Midnight UTC of a real calendar day ("2026-02-30" is not one, though Date.parse rolls it over). */
function dayStart(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day ? ms : Number.NaN;
}

type Query = Record<string, unknown>;

class Bad extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/**
 * Every parameter is given once, as name=value: `phone[]=a`, `phone[x]=a` or `phone=a&phone=b`
 * would otherwise be dropped or half read, and a search would quietly return every call.
 */
export function listParam(q: Query): string | undefined {
  for (const [key, value] of Object.entries(q)) {
    const name = key.replace(/\[.*$/, '');
    if (name !== key || Array.isArray(value) || (value !== null && typeof value === 'object')) return name;
  }
  return undefined;
}

function refuseLists(q: Query): void {
  const name = listParam(q);
  if (name !== undefined) throw new Bad(name, `${name} must be given once, as ${name}=value`);
}

const one = (q: Query, name: string): string | undefined => {
  const v = Object.hasOwn(q, name) ? q[name] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
};

function time(q: Query, name: string, endOfDay: boolean): Date | undefined {
  const raw = one(q, name);
  if (raw === undefined) return undefined;
  const ms = DAY.test(raw) ? dayStart(raw) + (endOfDay ? DAY_MS : 0) : Date.parse(raw);
  if (Number.isNaN(ms)) throw new Bad(name, `${name} must be a date (2025-10-03) or a date-time (2025-10-03T11:29:13Z), got "${raw}"`);
  return new Date(ms);
}

function whole(q: Query, name: string, min: number, max: number, dflt: number): number {
  const raw = one(q, name);
  if (raw === undefined) return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new Bad(name, `${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return Number(raw);
}

function oneOf<T extends string>(q: Query, name: string, values: readonly T[]): T | undefined {
  const raw = one(q, name);
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw)) throw new Bad(name, `${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function checkEnterprise(raw: unknown, field = 'enterprise'): string {
  if (typeof raw !== 'string' || raw === '') throw new Bad(field, `${field} is required (the enterprise number, e.g. 0367)`);
  if (!ENTERPRISE.test(raw)) throw new Bad(field, `${field} must be 1-10 letters or digits, got "${raw}"`);
  return raw;
}

function checked<T>(build: () => T): Checked<T> {
  try {
    return { ok: true, value: build() };
  } catch (err) {
    if (err instanceof Bad) return { ok: false, field: err.field, message: err.message };
    throw err;
  }
}

/** The query of GET /trace/{id}: an optional enterprise to narrow the id to. */
export function parseTraceQuery(q: Query): Checked<{ enterprise: string | undefined }> {
  return checked(() => {
    refuseLists(q);
    const raw = one(q, 'enterprise');
    return { enterprise: raw === undefined ? undefined : checkEnterprise(raw) };
  });
}

export function parseSearch(q: Query): Checked<SearchParams> {
  return checked(() => {
    refuseLists(q);
    const enterprise = checkEnterprise(one(q, 'enterprise') ?? one(q, 'enterprise_number'));
    const rawPhone = one(q, 'phone');
    const phone = rawPhone === undefined ? undefined : normalizePhone(rawPhone);
    if (phone !== undefined && phone.length < 3) throw new Bad('phone', `phone must have at least 3 digits, got "${rawPhone}"`);
    const from = time(q, 'from', false);
    const to = time(q, 'to', true);
    if (from && to && from >= to) throw new Bad('to', 'to must be after from');
    return {
      enterprise, phone, from, to,
      direction: oneOf(q, 'direction', DIRECTIONS), status: oneOf(q, 'status', STATUSES),
      limit: whole(q, 'limit', 1, 500, 50), offset: whole(q, 'offset', 0, 1_000_000, 0),
    };
  });
}

export interface DayParams {
  enterprise: string;
  from: Date;
  to: Date;
  date: string;
  limit: number;
  offset: number;
}

export function parseDay(enterprise: unknown, q: Query, today: Date): Checked<DayParams> {
  return checked(() => {
    refuseLists(q);
    const e = checkEnterprise(enterprise, 'enterprise_number');
    const date = one(q, 'date') ?? today.toISOString().slice(0, 10);
    if (!DAY.test(date) || Number.isNaN(dayStart(date))) throw new Bad('date', `date must be a day as YYYY-MM-DD, got "${date}"`);
    const from = new Date(dayStart(date));
    return { enterprise: e, date, from, to: new Date(from.getTime() + DAY_MS), limit: whole(q, 'limit', 1, 5000, 1000), offset: whole(q, 'offset', 0, 10_000_000, 0) };
  });
}
