/**
 * The sandbox Bitrix24 telephony methods: telephony.externalCall.searchCrmEntities, .register (the
 * same CALL_ID for the same call within 30 minutes until it is finished), .show, .hide, .finish.
 * Parameters are checked as Bitrix24 does, errors in its `{error, error_description}` envelope.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxAnswer } from '../common/answer.js';
import { entitiesByPhone, hideCard, type B24Call, type B24Portal, type B24User } from './state.js';

export const b24Error = (status: number, error: string, description: string): SandboxAnswer => ({ status, body: { error, error_description: description } });
const core = (description: string): SandboxAnswer => b24Error(400, 'ERROR_CORE', description);

type Params = Record<string, unknown>;
const REREGISTER_MS = 30 * 60_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const STATUS_CODES = new Set(['200', '304', '603', '603-S', '403', '404', '486', '484', '503', '480', '402', '423', 'OTHER']);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const int = (v: unknown): number | undefined => {
  const s = str(v);
  return s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined;
};

/** USER_ID as one id, an array, or PHP-style USER_ID[0]=…, as Bitrix24 takes it. */
function ids(v: unknown): number[] {
  const list = Array.isArray(v) ? v : typeof v === 'object' && v !== null ? Object.values(v) : v === undefined ? [] : [v];
  return list.map(int).filter((x): x is number => x !== undefined);
}

function userOf(p: B24Portal, params: Params): B24User | SandboxAnswer {
  const id = int(params.USER_ID);
  const inner = str(params.USER_PHONE_INNER);
  if (id === undefined && inner === undefined) return core('USER_ID or USER_PHONE_INNER should be set');
  let user = id !== undefined ? p.users.find((u) => u.id === id) : p.users.find((u) => u.innerPhone === inner);
  if (!user && p.autoUsers) {
    user = { id: id ?? 1000 + p.users.length, name: inner ? `Сотрудник ${inner}` : `Пользователь ${id}`, ...(inner ? { innerPhone: inner } : {}) };
    p.users.push(user);
  }
  return user ?? core('User is not found or is not active');
}

export function searchCrmEntities(p: B24Portal, params: Params): SandboxAnswer {
  const phone = str(params.PHONE_NUMBER);
  if (!phone) return core('PHONE_NUMBER is empty');
  return {
    status: 200,
    body: entitiesByPhone(p, phone).map((e) => {
      const u = p.users.find((x) => x.id === e.assignedId);
      return {
        CRM_ENTITY_TYPE: e.type, CRM_ENTITY_ID: e.id, ASSIGNED_BY_ID: e.assignedId, NAME: e.name,
        ASSIGNED_BY: { ID: String(e.assignedId), TIMEMAN_STATUS: 'OPENED', USER_PHONE_INNER: u?.innerPhone ?? null, WORK_PHONE: null, PERSONAL_PHONE: null, PERSONAL_MOBILE: null },
      };
    }),
  };
}

export function register(p: B24Portal, params: Params, now: number): SandboxAnswer {
  const user = userOf(p, params);
  if ('status' in user) return user;
  const phone = str(params.PHONE_NUMBER);
  if (!phone || !/\d{3,}/.test(phone)) return core('Unsupported phone number format');
  const type = int(params.TYPE);
  if (type === undefined || type < 1 || type > 5) return core('Unknown TYPE');
  const start = str(params.CALL_START_DATE);
  if (start !== undefined && !ISO.test(start)) return core('CALL_START_DATE should be in the ISO-8601 format');
  const line = str(params.LINE_NUMBER);
  const ext = str(params.EXTERNAL_CALL_ID);
  const show = int(params.SHOW) ?? 1;
  let call = p.calls.find((c) => !c.finished && now - c.registeredAtMs < REREGISTER_MS && c.phone === phone && c.type === type
    && c.userId === user.id && c.line === line && c.externalCallId === ext);
  const created: { ENTITY_TYPE: string; ENTITY_ID: number }[] = [];
  if (!call) {
    let entity = entitiesByPhone(p, phone)[0];
    if (!entity && int(params.CRM_CREATE) === 1) {
      entity = { type: 'LEAD', id: 500 + p.entities.length, name: `Лид ${phone}`, phone, assignedId: user.id };
      p.entities.push(entity);
      created.push({ ENTITY_TYPE: 'LEAD', ENTITY_ID: entity.id });
    }
    call = {
      callId: `externalCall.${randomBytes(16).toString('hex')}.${Math.floor(now / 1000)}`, phone, type, userId: user.id, startDate: start ?? new Date(now).toISOString(),
      registeredAtMs: now, shownTo: new Map(), ...(line ? { line } : {}), ...(ext ? { externalCallId: ext } : {}),
      ...(entity ? { entity: { type: entity.type, id: entity.id } } : {}),
    };
    p.calls.push(call);
  }
  if (show === 1 && !call.shownTo.has(user.id)) call.shownTo.set(user.id, now);
  return {
    status: 200,
    body: {
      CALL_ID: call.callId, CRM_CREATED_LEAD: created[0]?.ENTITY_ID ?? null, CRM_CREATED_ENTITIES: created,
      CRM_ENTITY_TYPE: call.entity?.type ?? '', CRM_ENTITY_ID: call.entity?.id ?? 0,
    },
  };
}

const findCall = (p: B24Portal, params: Params): B24Call | undefined => p.calls.find((c) => c.callId === str(params.CALL_ID));

export function show(p: B24Portal, params: Params, now: number): SandboxAnswer {
  if (!str(params.CALL_ID)) return b24Error(400, 'INVALID_ARGUMENT', 'CALL_ID must be a string');
  const call = findCall(p, params);
  if (!call) return { status: 200, body: false };
  for (const id of ids(params.USER_ID)) if (p.users.some((u) => u.id === id) && !call.shownTo.has(id)) call.shownTo.set(id, now);
  return { status: 200, body: true };
}

export function hide(p: B24Portal, params: Params, now: number): SandboxAnswer {
  if (!str(params.CALL_ID)) return b24Error(400, 'INVALID_ARGUMENT', 'CALL_ID must be a string');
  const call = findCall(p, params);
  if (!call) return { status: 200, body: false };
  for (const id of ids(params.USER_ID)) hideCard(p, call, id, now);
  return { status: 200, body: true };
}

export function finish(p: B24Portal, params: Params, now: number): SandboxAnswer {
  if (!str(params.CALL_ID)) return b24Error(400, 'INVALID_ARGUMENT', 'CALL_ID must be a string');
  const call = findCall(p, params);
  if (!call || call.finished) return core('Call is not found (call should be registered prior to finishing)');
  const user = userOf(p, params);
  if ('status' in user) return user;
  const duration = int(params.DURATION) ?? 0;
  if (duration < 0) return b24Error(400, 'INVALID_ARGUMENT', 'DURATION must be a non-negative integer');
  const statusCode = str(params.STATUS_CODE) ?? (duration > 0 ? '200' : '304');
  if (!STATUS_CODES.has(statusCode)) return b24Error(400, 'INVALID_ARGUMENT', `Unknown STATUS_CODE ${statusCode}`);
  const recordUrl = str(params.RECORD_URL);
  call.finished = { userId: user.id, duration, statusCode, atMs: now, ...(recordUrl ? { recordUrl } : {}) };
  return {
    status: 200,
    body: {
      CALL_ID: call.callId, EXTERNAL_CALL_ID: call.externalCallId ?? null, PORTAL_USER_ID: user.id, PHONE_NUMBER: call.phone, PORTAL_NUMBER: call.line ?? '',
      INCOMING: String(call.type), CALL_DURATION: duration, CALL_START_DATE: call.startDate, CALL_STATUS: statusCode === '200' ? 1 : 0,
      CALL_FAILED_CODE: statusCode, CRM_ENTITY_TYPE: call.entity?.type ?? '', CRM_ENTITY_ID: call.entity?.id ?? 0, ID: p.calls.indexOf(call) + 1,
    },
  };
}

/** Bitrix24 method names are case-insensitive. */
export const METHODS: Record<string, (p: B24Portal, params: Params, now: number) => SandboxAnswer> = {
  'telephony.externalcall.searchcrmentities': (p, params) => searchCrmEntities(p, params),
  'telephony.externalcall.register': register,
  'telephony.externalcall.show': show,
  'telephony.externalcall.hide': hide,
  'telephony.externalcall.finish': finish,
};
