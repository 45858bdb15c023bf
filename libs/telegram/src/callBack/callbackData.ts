/**
 * The call-back button's callback_data: which enterprise's call it calls back, in Telegram's 1–64
 * bytes. "cb1:<enterprise>:<callRef>" (callRef: the call's first UniqueId). The bot that delivers the
 * press must be the enterprise's own bot; the handler checks that, so the data needs no signature.
 */
export const CALLBACK_DATA_MAX_BYTES = 64;
const PREFIX = 'cb1';
const ENTERPRISE = /^[A-Za-z0-9_]{1,10}$/;
const CALL_REF = /^[A-Za-z0-9._-]{1,50}$/;

export interface CallBackTarget {
  enterprise: string;
  callRef: string;
}

/** The button's data, or null when the ids would not fit (then the message has no button). */
export function callBackData(t: CallBackTarget): string | null {
  if (!ENTERPRISE.test(t.enterprise) || !CALL_REF.test(t.callRef)) return null;
  const data = `${PREFIX}:${t.enterprise}:${t.callRef}`;
  return Buffer.byteLength(data, 'utf8') <= CALLBACK_DATA_MAX_BYTES ? data : null;
}

/** The target a pressed button names, or null for data that is not ours. */
export function readCallBackData(data: string | undefined): CallBackTarget | null {
  if (!data) return null;
  const [prefix, enterprise, callRef, ...rest] = data.split(':');
  if (prefix !== PREFIX || rest.length || !enterprise || !callRef) return null;
  return ENTERPRISE.test(enterprise) && CALL_REF.test(callRef) ? { enterprise, callRef } : null;
}
