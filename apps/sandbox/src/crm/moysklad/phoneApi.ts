/**
 * The sandbox MoySklad Phone API 1.0 methods: create a call, update it (by id or externalId), send a
 * card event, list employees with extensions. Bodies are checked as MoySklad does: required fields
 * (412, code 3000, with the parameter), types and formats (400), events (type, extension, sequence);
 * errors in its `{errors: [{error, code, parameter}]}` envelope.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxAnswer } from '../common/answer.js';
import { applyEvent, counterpartyByPhone, type MsAccount, type MsCall } from './state.js';

export interface PhoneCtx {
  account: MsAccount;
  /** http://host/ms/<account>/api — for meta hrefs. */
  apiBase: string;
  now: number;
}

export const msError = (status: number, error: string, code: number, parameter?: string): SandboxAnswer =>
  ({ status, body: { errors: [{ error, code, ...(parameter ? { parameter } : {}) }] } });

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{3})?$/;
const EVENT_TYPES = new Set(['SHOW', 'STARTTIME', 'HIDE', 'HIDE_ALL']);
type Body = Record<string, unknown>;
interface EventIn { eventType: string; extension?: string; sequence: number; employeeId?: string }

const required = (name: string): SandboxAnswer => msError(412, `Поле '${name}' не может быть пустым или отсутствовать`, 3000, name);
const wrongType = (name: string, what: string): SandboxAnswer => msError(400, `Значение поля '${name}' должно быть ${what}`, 2016, name);

function employeeIdOf(meta: unknown): string | undefined {
  const href = (meta as { meta?: { href?: unknown } } | undefined)?.meta?.href;
  return typeof href === 'string' ? href.replace(/\/+$/, '').split('/').pop() : undefined;
}

function readEvent(raw: unknown, i: number): EventIn | SandboxAnswer {
  const e = (raw ?? {}) as Body;
  const p = `events[${i}]`;
  if (typeof e.eventType !== 'string' || e.eventType === '') return required(`${p}.eventType`);
  if (!EVENT_TYPES.has(e.eventType)) return wrongType(`${p}.eventType`, 'одним из SHOW, STARTTIME, HIDE, HIDE_ALL');
  if (e.sequence === undefined) return required(`${p}.sequence`);
  if (typeof e.sequence !== 'number' || !Number.isInteger(e.sequence)) return wrongType(`${p}.sequence`, 'целым числом');
  const employeeId = employeeIdOf(e.employee);
  if (e.eventType !== 'HIDE_ALL' && (typeof e.extension !== 'string' || e.extension === '') && !employeeId) return required(`${p}.extension`);
  return { eventType: e.eventType, sequence: e.sequence, ...(typeof e.extension === 'string' && e.extension ? { extension: e.extension } : {}), ...(employeeId ? { employeeId } : {}) };
}

/** Checks the optional fields a create and an update share; the answer says what is wrong. */
function readCommon(b: Body): { events: EventIn[] } | SandboxAnswer {
  for (const f of ['endTime'] as const) if (b[f] !== undefined && (typeof b[f] !== 'string' || !TIME.test(b[f]))) return wrongType(f, 'датой в формате yyyy-MM-dd HH:mm:ss(.SSS)');
  if (b.duration !== undefined && (typeof b.duration !== 'number' || !Number.isInteger(b.duration) || b.duration < 0)) return wrongType('duration', 'целым числом миллисекунд');
  if (b.recordUrl !== undefined && (!Array.isArray(b.recordUrl) || !b.recordUrl.every((u) => typeof u === 'string'))) return wrongType('recordUrl', 'массивом строк');
  if (b.extension !== undefined && typeof b.extension !== 'string') return wrongType('extension', 'строкой');
  if (b.comment !== undefined && (typeof b.comment !== 'string' || b.comment.length > 4096)) return wrongType('comment', 'строкой до 4096 символов');
  if (b.events !== undefined && !Array.isArray(b.events)) return wrongType('events', 'массивом');
  const events: EventIn[] = [];
  for (const [i, raw] of ((b.events as unknown[] | undefined) ?? []).entries()) {
    const e = readEvent(raw, i);
    if ('status' in e) return e;
    events.push(e);
  }
  return { events };
}

function extensionOk(ctx: PhoneCtx, e: EventIn): string | SandboxAnswer | undefined {
  const a = ctx.account;
  if (e.employeeId) {
    const emp = a.employees.find((x) => x.id === e.employeeId);
    if (emp) return emp.extension;
  }
  if (!e.extension) return undefined;
  if (!a.employees.some((x) => x.extension === e.extension)) {
    if (!a.autoEmployees) return msError(412, `Сотрудник с добавочным номером '${e.extension}' не найден`, 3000, 'extension');
    a.employees.push({ id: randomUUID(), name: `Сотрудник ${e.extension}`, extension: e.extension });
  }
  return e.extension;
}

function applyEvents(ctx: PhoneCtx, call: MsCall, events: EventIn[]): SandboxAnswer | null {
  for (const e of events) {
    const ext = extensionOk(ctx, e);
    if (typeof ext === 'object') return ext;
    applyEvent(ctx.account, call, { eventType: e.eventType, sequence: e.sequence, ...(ext ? { extension: ext } : {}) }, ctx.now);
  }
  return null;
}

/** Fields a PUT sets: MoySklad never overwrites a filled field (comment aside) and appends recordings. */
function applyFields(ctx: PhoneCtx, call: MsCall, b: Body): void {
  const empId = employeeIdOf(b.employee);
  const emp = empId ? ctx.account.employees.find((x) => x.id === empId) : undefined;
  if (emp && !call.employeeId) {
    call.employeeId = emp.id;
    call.extension ??= emp.extension;
  }
  if (typeof b.extension === 'string' && b.extension && !call.extension) {
    call.extension = b.extension;
    call.employeeId ??= ctx.account.employees.find((x) => x.extension === b.extension)?.id;
  }
  if (typeof b.endTime === 'string' && !call.endTime) call.endTime = b.endTime;
  if (typeof b.duration === 'number' && call.duration === undefined) call.duration = b.duration;
  if (Array.isArray(b.recordUrl)) call.recordUrl.push(...(b.recordUrl as string[]));
  if (typeof b.comment === 'string') call.comment = b.comment;
}

export function callView(ctx: PhoneCtx, c: MsCall): Record<string, unknown> {
  const party = counterpartyByPhone(ctx.account, c.number);
  const emp = c.employeeId ? ctx.account.employees.find((x) => x.id === c.employeeId) : undefined;
  const href = (type: string, id: string): Record<string, unknown> => ({ meta: { href: `${ctx.apiBase}/remap/1.2/entity/${type}/${id}`, type, mediaType: 'application/json' } });
  return {
    meta: { href: `${ctx.apiBase}/phone/1.0/call/${c.id}`, type: 'call', mediaType: 'application/json' },
    id: c.id, externalId: c.externalId, number: c.number, isIncoming: c.isIncoming, startTime: c.startTime,
    endTime: c.endTime ?? null, duration: c.duration ?? null, recordUrl: c.recordUrl, extension: c.extension ?? null,
    ...(c.comment !== undefined ? { comment: c.comment } : {}),
    ...(emp ? { employee: href('employee', emp.id) } : {}),
    ...(party ? { counterparty: href('counterparty', party.id) } : {}),
  };
}

export function createCall(ctx: PhoneCtx, b: Body): SandboxAnswer {
  for (const f of ['externalId', 'number'] as const) if (typeof b[f] !== 'string' || b[f] === '') return required(f);
  if (b.isIncoming === undefined) return required('isIncoming');
  if (typeof b.isIncoming !== 'boolean') return wrongType('isIncoming', 'true или false');
  if (b.startTime === undefined) return required('startTime');
  if (typeof b.startTime !== 'string' || !TIME.test(b.startTime)) return wrongType('startTime', 'датой в формате yyyy-MM-dd HH:mm:ss(.SSS)');
  const common = readCommon(b);
  if ('status' in common) return common;
  const call: MsCall = {
    id: randomUUID(), externalId: b.externalId as string, number: b.number as string, isIncoming: b.isIncoming, startTime: b.startTime,
    recordUrl: [], createdAtMs: ctx.now, cards: new Map(), hideAllSeq: 0, events: [],
  };
  applyFields(ctx, call, b);
  const failed = applyEvents(ctx, call, common.events);
  if (failed) return failed;
  ctx.account.calls.push(call);
  return { status: 200, body: callView(ctx, call) };
}

/** By externalId the newest call with it (MoySklad does not refuse a second create with the same one). */
export function findCall(a: MsAccount, by: 'id' | 'extid', key: string): MsCall | undefined {
  if (by === 'id') return a.calls.find((c) => c.id === key);
  for (let i = a.calls.length - 1; i >= 0; i -= 1) if (a.calls[i]!.externalId === key) return a.calls[i];
  return undefined;
}

const notFound = (key: string): SandboxAnswer => msError(404, `Объект с типом 'call' и идентификатором '${key}' не найден`, 1021);

export function updateCall(ctx: PhoneCtx, by: 'id' | 'extid', key: string, b: Body): SandboxAnswer {
  const call = findCall(ctx.account, by, key);
  if (!call) return notFound(key);
  const common = readCommon(b);
  if ('status' in common) return common;
  applyFields(ctx, call, b);
  return applyEvents(ctx, call, common.events) ?? { status: 200, body: callView(ctx, call) };
}

export function postEvent(ctx: PhoneCtx, by: 'id' | 'extid', key: string, b: Body): SandboxAnswer {
  const call = findCall(ctx.account, by, key);
  if (!call) return notFound(key);
  const e = readEvent(b, 0);
  if ('status' in e) return e;
  return applyEvents(ctx, call, [e]) ?? { status: 204, body: null };
}

/** GET /employee?filter=extention=101 (exact) or extention~=10 (contains), MoySklad's spelling. */
export function listEmployees(ctx: PhoneCtx, filter: string | undefined): SandboxAnswer {
  let list = ctx.account.employees;
  if (filter) {
    const m = /^extention(=|~=)(.*)$/.exec(filter);
    if (!m) return msError(400, `Неверно заданы параметры запроса: filter=${filter}`, 1040, 'filter');
    list = list.filter((e) => (m[1] === '=' ? e.extension === m[2] : e.extension.includes(m[2] ?? '')));
  }
  return {
    status: 200,
    body: {
      meta: { href: `${ctx.apiBase}/phone/1.0/employee`, type: 'employee', mediaType: 'application/json', size: list.length, limit: 1000, offset: 0 },
      employees: list.map((e) => ({ meta: { href: `${ctx.apiBase}/remap/1.2/entity/employee/${e.id}`, type: 'employee', mediaType: 'application/json' }, extention: e.extension })),
    },
  };
}
