/**
 * Click-to-call (and call-back) over AMI: rings the manager's extension first (a Local channel into
 * the dialplan) and, once answered, dials the customer (Application Dial to a second Local channel),
 * as the old system's `channel originate LOCAL/150@inoffice application Dial LOCAL/+375…@inoffice`.
 * Async: the PBX answers "queued" at once and reports the first leg's fate in an OriginateResponse
 * event with our ActionID, which is awaited within a hard timeout. The ring time asked of the PBX is
 * shorter than that timeout, so a manager who does not pick up is reported by the PBX, not by us.
 */
import { AmiError } from './errors.js';
import { AmiSession, newActionId, type AmiMessage } from './session.js';
import type { AmiSettings } from './settings.js';

export interface OriginateRequest {
  /** The manager's extension, rung first. */
  extension: string;
  /** The customer's number as the dialplan dials it (E.164). */
  phone: string;
  /** Channel variables set on the call (e.g. who started it); names and values without commas or newlines. */
  variables?: Record<string, string>;
  /** Caller ID the manager's phone shows; default the customer's number. */
  callerId?: string;
}

export interface OriginateTimeouts {
  /** Connect and login. */
  connectMs: number;
  /** From sending the Originate to its OriginateResponse. */
  resultMs: number;
}

export interface OriginateResult {
  actionId: string;
  /** The Uniqueid the PBX gave the originated channel: the call's id in the events that follow. */
  uniqueId: string | null;
  channel: string | null;
  /** What was sent, with nothing secret in it (the Originate carries no secret; the Login is not listed). */
  sent: Record<string, string>;
  /** The PBX's OriginateResponse event. */
  response: AmiMessage;
}

/** OriginateResponse Reason codes (Asterisk's AST_CONTROL_* values) in words. */
const REASONS: Record<string, string> = {
  '0': 'no such extension or channel unavailable',
  '1': 'hung up',
  '3': 'no answer (the manager did not pick up)',
  '4': 'answered',
  '5': 'busy',
  '8': 'congestion',
};

export function reasonText(code: string | undefined): string {
  return code === undefined ? 'no reason given' : `${REASONS[code] ?? 'failed'} (reason ${code})`;
}

const SAFE = /^[^\r\n,]*$/;

/** The Originate action's fields (pure). */
export function originateFields(req: OriginateRequest, context: string, actionId: string, ringMs: number): Record<string, string> {
  for (const [k, v] of [['extension', req.extension], ['phone', req.phone], ...Object.entries(req.variables ?? {})]) {
    if (!SAFE.test(k!) || !SAFE.test(v!)) throw new RangeError(`${k} must not contain commas or line breaks`);
  }
  const fields: Record<string, string> = {
    Action: 'Originate',
    ActionID: actionId,
    Channel: `Local/${req.extension}@${context}`,
    Application: 'Dial',
    Data: `Local/${req.phone}@${context}`,
    CallerID: req.callerId ?? req.phone,
    Timeout: String(ringMs),
    Async: 'true',
  };
  const vars = Object.entries(req.variables ?? {}).map(([k, v]) => `${k}=${v}`);
  if (vars.length) fields.Variable = vars.join(',');
  return fields;
}

/** Time the PBX is asked to ring the manager: the result timeout less a margin for the event to arrive. */
export function ringTimeMs(resultMs: number): number {
  return Math.max(1000, resultMs - Math.min(3000, Math.floor(resultMs / 4)));
}

/**
 * Originates the call and resolves once the PBX reports the manager's leg answered; rejects with an
 * AmiError: unreachable, login_failed, timeout, or refused (the PBX's Message or Reason in it).
 */
export async function originateCall(settings: AmiSettings, req: OriginateRequest, t: OriginateTimeouts): Promise<OriginateResult> {
  const session = await AmiSession.open(settings, t.connectMs);
  try {
    const actionId = newActionId();
    const fields = originateFields(req, settings.context, actionId, ringTimeMs(t.resultMs));
    const result = session.eventFor('OriginateResponse', actionId, t.resultMs);
    try {
      await session.action(fields, t.resultMs);
    } catch (err) {
      result.cancel();
      result.promise.catch(() => undefined);
      throw err;
    }
    const response = await result.promise;
    if ((response.Response ?? '').toLowerCase() !== 'success') {
      throw new AmiError('refused', `the PBX could not place the call: ${reasonText(response.Reason)}`, 'result');
    }
    return { actionId, uniqueId: response.Uniqueid ?? null, channel: response.Channel ?? null, sent: fields, response };
  } finally {
    await session.close();
  }
}
