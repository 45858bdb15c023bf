/**
 * RetailCRM's click-to-call request (makeCallUrl: clientId, userId, phone, optional code and
 * externalPhone, in the query or the body) read and checked, and the extension that rings first:
 * `code` when RetailCRM sends one, else the one mapped to userId in retailcrm.user_extensions. Pure.
 */
import { toE164 } from '@callpipe/config-cache';

export interface MakeCallParams {
  clientId: string;
  userId: string | null;
  /** E.164. */
  phone: string;
  code: string | null;
  externalPhone: string | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const text = (v: unknown): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim().length > 0 ? v.trim() : null;
};

/** Query parameters first, the body's fields fill in what the query lacks. */
export function readMakeCall(query: Record<string, unknown>, body: unknown): Checked<MakeCallParams> {
  const b = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const get = (k: string) => text(query[k]) ?? text(b[k]);
  const clientId = get('clientId');
  if (!clientId) return { ok: false, field: 'clientId', message: 'clientId is required' };
  const rawPhone = get('phone');
  if (!rawPhone) return { ok: false, field: 'phone', message: 'phone is required' };
  const phone = toE164(rawPhone);
  if (!phone) return { ok: false, field: 'phone', message: `Invalid phone number: ${rawPhone.slice(0, 40)}` };
  const userId = get('userId');
  if (userId !== null && !/^\d{1,12}$/.test(userId)) return { ok: false, field: 'userId', message: 'userId must be a RetailCRM user id (digits)' };
  const code = get('code');
  if (code !== null && !/^\d{1,10}$/.test(code)) return { ok: false, field: 'code', message: 'code must be an extension (digits)' };
  const rawExternal = get('externalPhone');
  const externalPhone = rawExternal === null ? null : toE164(rawExternal);
  if (rawExternal !== null && !externalPhone) return { ok: false, field: 'externalPhone', message: `Invalid externalPhone: ${rawExternal.slice(0, 40)}` };
  return { ok: true, value: { clientId, userId, phone, code, externalPhone } };
}

/** The extension to ring: code wins; else user_extensions[userId]; null when neither gives one. */
export function extensionFor(p: Pick<MakeCallParams, 'code' | 'userId'>, userExtensions: unknown): string | null {
  if (p.code) return p.code;
  if (p.userId === null || typeof userExtensions !== 'object' || userExtensions === null) return null;
  const ext = (userExtensions as Record<string, unknown>)[p.userId];
  return typeof ext === 'string' && /^\d+$/.test(ext) ? ext : null;
}

export function noExtensionMessage(userId: string | null): string {
  return userId === null ? 'No extension: neither code nor userId was given' : `No extension configured for user ${userId}`;
}
