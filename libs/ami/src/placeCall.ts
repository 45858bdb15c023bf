/**
 * One click-to-call (or call-back) attempt as callers report it: the manager's extension rung
 * first, then the customer, through the enterprise's AMI; never throws. The outcome says what
 * happened in a form that goes straight into integration_logs, a trace entry and an HTTP answer,
 * with nothing secret in it. Logging is the caller's (the gateway, the Telegram call-back).
 */
import { AmiError, type AmiFailureKind } from './errors.js';
import { originateCall, type OriginateRequest, type OriginateTimeouts } from './originate.js';
import { describeSettings, type AmiSettings } from './settings.js';

export interface PlaceCallOutcome {
  ok: boolean;
  /** The failure's kind, when not ok. */
  failure?: AmiFailureKind;
  /** What happened, in a sentence (the PBX's reason on failure). */
  message: string;
  /** The originated channel's Uniqueid: the call's id in the events that follow. */
  uniqueId: string | null;
  actionId: string | null;
  durationMs: number;
  /** What was asked of the PBX: the settings without the secret and the Originate's fields. */
  request: { ami: ReturnType<typeof describeSettings>; originate: OriginateRequest };
  /** The PBX's OriginateResponse, when one came. */
  response?: Record<string, string | undefined>;
}

export async function placeCall(settings: AmiSettings, req: OriginateRequest, t: OriginateTimeouts): Promise<PlaceCallOutcome> {
  const started = Date.now();
  const request = { ami: describeSettings(settings), originate: req };
  try {
    const r = await originateCall(settings, req, t);
    return {
      ok: true, message: `the PBX rang ${req.extension} and is dialling ${req.phone}`, uniqueId: r.uniqueId, actionId: r.actionId,
      durationMs: Date.now() - started, request, response: r.response,
    };
  } catch (err) {
    const e = err instanceof AmiError ? err : new AmiError('protocol', (err as Error).message, 'action');
    return { ok: false, failure: e.kind, message: e.message, uniqueId: null, actionId: null, durationMs: Date.now() - started, request };
  }
}
