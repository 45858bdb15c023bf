/**
 * RetailCRM's checks of what a client sends, as its API v5 makes them (pure): a nested value must
 * come as a JSON string in one form field, and the entity inside must be well formed. Failures are
 * its envelope `{success: false, errorMsg, errors}` with status 400.
 */
import type { SandboxAnswer } from '../common/answer.js';

export type ApiAnswer = SandboxAnswer;

export type Params = Record<string, unknown>;

export const fail = (status: number, errorMsg: string, errors?: Record<string, string>): ApiAnswer => ({
  status, body: { success: false, errorMsg, ...(errors && Object.keys(errors).length ? { errors } : {}) },
});

const ENTITY = 'Errors in the entity format';

/** A form field holding JSON: missing, a nested form value, or JSON that does not parse are refused as RetailCRM does. */
export function jsonField(params: Params, name: string): { value: unknown } | ApiAnswer {
  const raw = params[name];
  if (raw === undefined || raw === '') return fail(400, `Parameter '${name}' is missing`);
  if (typeof raw !== 'string') return fail(400, `Input value "${name}" contains a non-scalar value`);
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    return fail(400, ENTITY, { [name]: 'This value is not valid JSON.' });
  }
}

export const isAnswer = (v: unknown): v is ApiAnswer => typeof v === 'object' && v !== null && 'status' in v && 'body' in v;

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : null);
const blank = 'This value should not be blank.';
const choice = 'The value you selected is not a valid choice.';

export interface CallEventIn {
  phone: string;
  type: 'in' | 'out' | 'hangup';
  codes: string[];
  userIds: number[];
  hangupStatus?: string;
  callExternalId?: string;
  externalPhone?: string;
}

const HANGUP_STATUSES = ['answered', 'busy', 'cancel', 'failed', 'no answered'];

/** telephony/call/event's `event`. */
export function checkCallEvent(value: unknown): CallEventIn | ApiAnswer {
  const e = obj(value);
  if (!e) return fail(400, ENTITY, { event: 'This value should be of type object.' });
  const errors: Record<string, string> = {};
  const phone = typeof e.phone === 'string' ? e.phone.trim() : '';
  if (!phone) errors.phone = blank;
  const type = e.type;
  if (type !== 'in' && type !== 'out' && type !== 'hangup') errors.type = choice;
  const codes = e.codes ?? [];
  if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string' || typeof c === 'number')) errors.codes = 'This value should be of type array of strings.';
  const userIds = e.userIds ?? [];
  if (!Array.isArray(userIds) || !userIds.every((u) => Number.isSafeInteger(Number(u)))) errors.userIds = 'This value should be of type array of integers.';
  if (Array.isArray(codes) && Array.isArray(userIds) && codes.length === 0 && userIds.length === 0) errors.codes = 'Either codes or userIds must be set.';
  if (e.hangupStatus !== undefined) {
    if (type !== 'hangup') errors.hangupStatus = 'hangupStatus is allowed only with type hangup.';
    else if (typeof e.hangupStatus !== 'string' || !HANGUP_STATUSES.includes(e.hangupStatus)) errors.hangupStatus = choice;
  }
  for (const f of ['callExternalId', 'externalPhone'] as const) if (e[f] !== undefined && typeof e[f] !== 'string') errors[f] = 'This value should be of type string.';
  if (Object.keys(errors).length) return fail(400, ENTITY, errors);
  return {
    phone, type: type as CallEventIn['type'],
    codes: (codes as (string | number)[]).map(String), userIds: (userIds as unknown[]).map(Number),
    ...(typeof e.hangupStatus === 'string' ? { hangupStatus: e.hangupStatus } : {}),
    ...(typeof e.callExternalId === 'string' && e.callExternalId ? { callExternalId: e.callExternalId } : {}),
    ...(typeof e.externalPhone === 'string' && e.externalPhone ? { externalPhone: e.externalPhone } : {}),
  };
}

export interface UploadedCall {
  date: string;
  type: 'in' | 'out';
  phone: string;
  code?: string;
  userId?: number;
  result: string;
  duration?: number;
  externalId?: string;
  externalPhone?: string;
  recordUrl?: string;
}

export const MAX_UPLOAD = 50;
const RESULTS = ['answered', 'busy', 'failed', 'no answer', 'not allowed', 'unknown'];
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** telephony/calls/upload's `calls`: 1 to 50 calls, each with a "Y-m-d H:i:s" date, a type and a phone. */
export function checkCalls(value: unknown): UploadedCall[] | ApiAnswer {
  if (!Array.isArray(value) || value.length === 0) return fail(400, ENTITY, { calls: 'This value should not be blank.' });
  if (value.length > MAX_UPLOAD) return fail(400, ENTITY, { calls: `This collection should contain ${MAX_UPLOAD} elements or less.` });
  const errors: Record<string, string> = {};
  const out: UploadedCall[] = [];
  value.forEach((item, i) => {
    const c = obj(item);
    const at = (f: string): string => `calls[${i}].${f}`;
    if (!c) {
      errors[`calls[${i}]`] = 'This value should be of type object.';
      return;
    }
    if (typeof c.date !== 'string' || !DATE_TIME.test(c.date) || Number.isNaN(Date.parse(c.date.replace(' ', 'T')))) errors[at('date')] = 'This value is not a valid datetime (Y-m-d H:i:s).';
    if (c.type !== 'in' && c.type !== 'out') errors[at('type')] = choice;
    if (typeof c.phone !== 'string' || !c.phone.trim()) errors[at('phone')] = blank;
    if (c.result !== undefined && (typeof c.result !== 'string' || !RESULTS.includes(c.result))) errors[at('result')] = choice;
    for (const f of ['duration', 'durationWaiting', 'userId'] as const) {
      if (c[f] !== undefined && !(Number.isSafeInteger(c[f]) && (c[f] as number) >= 0)) errors[at(f)] = 'This value should be a positive integer.';
    }
    for (const f of ['code', 'externalId', 'externalPhone', 'recordUrl'] as const) if (c[f] !== undefined && typeof c[f] !== 'string') errors[at(f)] = 'This value should be of type string.';
    if (typeof c.recordUrl === 'string' && !/^https?:\/\//.test(c.recordUrl)) errors[at('recordUrl')] = 'This value is not a valid URL.';
    out.push({
      date: String(c.date), type: c.type as 'in' | 'out', phone: String(c.phone ?? ''), result: typeof c.result === 'string' ? c.result : 'unknown',
      ...(typeof c.code === 'string' ? { code: c.code } : {}),
      ...(typeof c.userId === 'number' ? { userId: c.userId } : {}),
      ...(typeof c.duration === 'number' ? { duration: c.duration } : {}),
      ...(typeof c.externalId === 'string' ? { externalId: c.externalId } : {}),
      ...(typeof c.externalPhone === 'string' ? { externalPhone: c.externalPhone } : {}),
      ...(typeof c.recordUrl === 'string' ? { recordUrl: c.recordUrl } : {}),
    });
  });
  return Object.keys(errors).length ? fail(400, ENTITY, errors) : out;
}

export interface ModuleIn {
  code: string;
  module: Record<string, unknown>;
  additionalCodes?: { userId: number; code: string }[];
}

const isSvg = (logo: unknown): boolean => typeof logo === 'string'
  && (/\.svg(\?.*)?$/i.test(logo) || logo.startsWith('data:image/svg+xml') || logo.trimStart().startsWith('<svg'));

/** integration-modules/{code}/edit's `integrationModule` (the seed's incidents: logo must be SVG, baseUrl not blank). */
export function checkModule(value: unknown, pathCode: string): ModuleIn | ApiAnswer {
  const m = obj(value);
  if (!m) return fail(400, ENTITY, { integrationModule: 'This value should be of type object.' });
  const errors: Record<string, string> = {};
  if (m.code !== undefined && m.code !== pathCode) errors.code = 'The code must match the one in the URL.';
  for (const f of ['integrationCode', 'name', 'baseUrl', 'clientId'] as const) if (typeof m[f] !== 'string' || !(m[f] as string).trim()) errors[f] = blank;
  if (m.active !== undefined && typeof m.active !== 'boolean') errors.active = 'This value should be of type bool.';
  if (m.logo !== undefined && !isSvg(m.logo)) errors.logo = 'Logo image must be svg';
  const telephony = obj(obj(m.integrations)?.telephony);
  let additionalCodes: ModuleIn['additionalCodes'];
  if (telephony?.additionalCodes !== undefined) {
    const list = telephony.additionalCodes;
    if (!Array.isArray(list)) errors['integrations.telephony.additionalCodes'] = 'This value should be of type array.';
    else {
      additionalCodes = [];
      list.forEach((item, i) => {
        const a = obj(item);
        const userId = Number(a?.userId);
        const code = a?.code;
        if (!a || !Number.isSafeInteger(userId) || (typeof code !== 'string' && typeof code !== 'number') || String(code) === '') {
          errors[`integrations.telephony.additionalCodes[${i}]`] = 'userId and code are required.';
        } else additionalCodes!.push({ userId, code: String(code) });
      });
    }
  }
  if (Object.keys(errors).length) return fail(400, ENTITY, errors);
  return { code: pathCode, module: m, ...(additionalCodes ? { additionalCodes } : {}) };
}
