/**
 * The RetailCRM API v5 methods the sandbox serves, on one account: telephony call events (popups
 * open and close on the managers' screens), calls upload (the history), telephony/manager,
 * customers, users, integration modules.
 */
import { checkCallEvent, checkCalls, checkModule, fail, isAnswer, jsonField, type ApiAnswer, type Params } from './validate.js';
import type { Account, RetailCrmState, SandboxCustomer, SandboxUser } from './state.js';

export interface MethodContext {
  state: RetailCrmState;
  account: Account;
  params: Params;
  now: number;
  /** The base URL of this account's API, for links. */
  baseUrl: string;
}

const ok = (body: Record<string, unknown> = {}, status = 200): ApiAnswer => ({ status, body: { success: true, ...body } });

const digits = (s: string): string => s.replace(/\D/g, '');

/** Numbers compared from the right, at least 7 digits (a shop stores "8029…" for "+37529…"). */
export function samePhone(a: string, b: string): boolean {
  const x = digits(a);
  const y = digits(b);
  const n = Math.min(x.length, y.length, 9);
  return n >= 7 && x.slice(-n) === y.slice(-n);
}

export const userName = (u: SandboxUser): string => `${u.firstName} ${u.lastName}`.trim();
const customerName = (c: SandboxCustomer): string => [c.firstName, c.patronymic, c.lastName].filter(Boolean).join(' ');

function customerByPhone(a: Account, phone: string): SandboxCustomer | undefined {
  return a.customers.find((c) => c.phones.some((p) => samePhone(p.number, phone)));
}

/** A user for an id the account does not know, on an auto account (the demo's). */
function autoUser(a: Account, id: number): SandboxUser {
  const u = { id, firstName: 'Manager', lastName: String(id), email: `manager${id}@sandbox.local`, active: true };
  a.users.set(id, u);
  return u;
}

function userForCode(a: Account, code: string): number | undefined {
  const known = a.codes.get(code);
  if (known !== undefined) return known;
  if (!a.autoUsers || !/^\d+$/.test(code)) return undefined;
  // Auto accounts: extension 150 becomes user 150 with code 150.
  const id = Number(code);
  if (!a.users.has(id)) autoUser(a, id).lastName = `ext ${code}`;
  a.codes.set(code, id);
  return id;
}

function callEvent(ctx: MethodContext): ApiAnswer {
  const field = jsonField(ctx.params, 'event');
  if (isAnswer(field)) return field;
  const e = checkCallEvent(field.value);
  if (isAnswer(e)) return e;
  const a = ctx.account;
  const notExistCodes: string[] = [];
  const notExistUsers: number[] = [];
  const users = new Set<number>();
  for (const code of e.codes) {
    const id = userForCode(a, code);
    if (id === undefined) notExistCodes.push(code);
    else users.add(id);
  }
  for (const id of e.userIds) {
    if (a.users.has(id) || (a.autoUsers && autoUser(a, id))) users.add(id);
    else notExistUsers.push(id);
  }
  const callKey = e.callExternalId ?? digits(e.phone);
  for (const id of users) {
    if (e.type === 'hangup') ctx.state.closePopup(a, id, callKey, e.hangupStatus, ctx.now);
    else {
      const customer = customerByPhone(a, e.phone);
      let open = a.popups.get(id);
      if (!open) {
        open = new Map();
        a.popups.set(id, open);
      }
      open.set(callKey, {
        callKey, phone: e.phone, type: e.type, openedAt: new Date(ctx.now).toISOString(), openedAtMs: ctx.now,
        ...(e.callExternalId ? { callExternalId: e.callExternalId } : {}),
        ...(e.externalPhone ? { externalPhone: e.externalPhone } : {}),
        ...(customer ? { customerName: customerName(customer) } : {}),
      });
    }
  }
  return ok({ ...(notExistCodes.length ? { notExistCodes } : {}), ...(notExistUsers.length ? { notExistUsers } : {}) });
}

function callsUpload(ctx: MethodContext): ApiAnswer {
  const field = jsonField(ctx.params, 'calls');
  if (isAnswer(field)) return field;
  const calls = checkCalls(field.value);
  if (isAnswer(calls)) return calls;
  const a = ctx.account;
  const duplicateCalls: string[] = [];
  let processed = 0;
  for (const c of calls) {
    const key = c.externalId ?? `${c.date}|${c.phone}|${c.type}`;
    if (a.history.has(key)) {
      duplicateCalls.push(key);
      continue;
    }
    const userId = c.userId ?? (c.code === undefined ? undefined : a.codes.get(c.code));
    const user = userId === undefined ? undefined : a.users.get(userId);
    a.history.set(key, {
      ...c, externalId: key, receivedAt: new Date(ctx.now).toISOString(),
      ...(userId !== undefined ? { userId } : {}), ...(user ? { managerName: userName(user) } : {}),
    });
    processed += 1;
  }
  return ok({ processedCallsCount: processed, ...(duplicateCalls.length ? { duplicateCalls } : {}) });
}

function userView(a: Account, u: SandboxUser): Record<string, unknown> {
  const code = [...a.codes].find(([, id]) => id === u.id)?.[0];
  return { id: u.id, firstName: u.firstName, lastName: u.lastName, email: u.email, active: u.active, isManager: true, ...(code ? { code } : {}) };
}

function customerView(c: SandboxCustomer): Record<string, unknown> {
  return {
    id: c.id, firstName: c.firstName, lastName: c.lastName, ...(c.patronymic ? { patronymic: c.patronymic } : {}),
    ...(c.email ? { email: c.email } : {}), phones: c.phones, ...(c.managerId !== undefined ? { managerId: c.managerId } : {}),
  };
}

function telephonyManager(ctx: MethodContext): ApiAnswer {
  const phone = typeof ctx.params.phone === 'string' ? ctx.params.phone : '';
  if (!phone) return fail(400, "Parameter 'phone' is missing");
  const a = ctx.account;
  const customer = customerByPhone(a, phone);
  const manager = customer?.managerId === undefined ? undefined : a.users.get(customer.managerId);
  const details = ctx.params.details === '1' || ctx.params.details === 'true';
  return ok({
    ...(manager ? { manager: userView(a, manager) } : {}),
    ...(details && customer ? {
      customer: customerView(customer),
      links: { customerLink: `${ctx.baseUrl}/customers/${customer.id}`, newOrderLink: `${ctx.baseUrl}/orders/add?customerId=${customer.id}` },
    } : {}),
  });
}

/** limit: 20, 50 or 100 only, as RetailCRM's list methods. */
function page<T>(ctx: MethodContext, list: T[]): { items: T[]; pagination: Record<string, number> } | ApiAnswer {
  const limit = ctx.params.limit === undefined ? 20 : Number(ctx.params.limit);
  if (![20, 50, 100].includes(limit)) return fail(400, 'Errors in the entity format', { limit: 'The value you selected is not a valid choice.' });
  const current = ctx.params.page === undefined ? 1 : Number(ctx.params.page);
  if (!Number.isSafeInteger(current) || current < 1) return fail(400, 'Errors in the entity format', { page: 'This value should be greater than 0.' });
  return {
    items: list.slice((current - 1) * limit, current * limit),
    pagination: { limit, totalCount: list.length, currentPage: current, totalPageCount: Math.max(1, Math.ceil(list.length / limit)) },
  };
}

const filterOf = (params: Params): Record<string, unknown> => {
  const f = params.filter;
  return typeof f === 'object' && f !== null && !Array.isArray(f) ? f as Record<string, unknown> : {};
};

function customers(ctx: MethodContext): ApiAnswer {
  const name = filterOf(ctx.params).name;
  const q = typeof name === 'string' ? name.trim().toLowerCase() : '';
  const found = ctx.account.customers.filter((c) => !q
    || customerName(c).toLowerCase().includes(q) || (c.email ?? '').toLowerCase().includes(q)
    || (digits(q).length >= 5 && c.phones.some((p) => digits(p.number).includes(digits(q)) || samePhone(p.number, q))));
  const p = page(ctx, found);
  if (isAnswer(p)) return p;
  return ok({ pagination: p.pagination, customers: p.items.map(customerView) });
}

function users(ctx: MethodContext): ApiAnswer {
  const a = ctx.account;
  const p = page(ctx, [...a.users.values()].sort((x, y) => x.id - y.id));
  if (isAnswer(p)) return p;
  return ok({ pagination: p.pagination, users: p.items.map((u) => userView(a, u)) });
}

function moduleEdit(ctx: MethodContext, code: string): ApiAnswer {
  const field = jsonField(ctx.params, 'integrationModule');
  if (isAnswer(field)) return field;
  const m = checkModule(field.value, code);
  if (isAnswer(m)) return m;
  const a = ctx.account;
  const existed = a.modules.has(code);
  a.modules.set(code, { ...(a.modules.get(code) ?? {}), ...m.module, code });
  if (m.additionalCodes) {
    // The module's additionalCodes are the telephony codes RetailCRM knows from now on.
    a.codes.clear();
    for (const { userId, code: ext } of m.additionalCodes) {
      if (!a.users.has(userId) && a.autoUsers) autoUser(a, userId);
      a.codes.set(ext, userId);
    }
  }
  return ok({}, existed ? 200 : 201);
}

function moduleGet(ctx: MethodContext, code: string): ApiAnswer {
  const m = ctx.account.modules.get(code);
  return m ? ok({ integrationModule: m }) : fail(404, 'Not found');
}

/** The method at `path` (after /api/v5/) for `httpMethod`. */
export function runMethod(httpMethod: string, path: string, ctx: MethodContext): ApiAnswer {
  const moduleMatch = /^integration-modules\/([\w-]+)(\/edit)?$/.exec(path);
  const routes: Record<string, [string, () => ApiAnswer]> = {
    'telephony/call/event': ['POST', () => callEvent(ctx)],
    'telephony/calls/upload': ['POST', () => callsUpload(ctx)],
    'telephony/manager': ['GET', () => telephonyManager(ctx)],
    customers: ['GET', () => customers(ctx)],
    users: ['GET', () => users(ctx)],
  };
  let route = routes[path];
  if (!route && moduleMatch) {
    const code = moduleMatch[1]!;
    route = moduleMatch[2] ? ['POST', () => moduleEdit(ctx, code)] : ['GET', () => moduleGet(ctx, code)];
  }
  if (!route) return fail(404, 'API method not found');
  if (route[0] !== httpMethod) return fail(405, `Method ${httpMethod} is not allowed here; use ${route[0]}`);
  return route[1]();
}
