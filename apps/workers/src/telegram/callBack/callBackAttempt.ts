/**
 * Where a call-back attempt is written: one integration_logs row (integration "telegram", operation
 * "call_back", the AMI secret never in it) and an `integration` entry on the missed call's trace, plus
 * one on the new call's (by the originated channel's Uniqueid) so its record says it was a call-back.
 */
import type { Kysely } from 'kysely';
import type { PlaceCallOutcome } from '@callpipe/ami';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import type { CallLogIntegrationEntry, Producers } from '@callpipe/queues';

export interface CallBackAttempt {
  enterprise: string;
  callRef: string;
  callbackQueryId: string;
  presser: { tgUserId: number; name: string; extension: string };
  outcome: PlaceCallOutcome;
  at: Date;
}

export async function recordCallBackAttempt(db: Kysely<Database>, producers: Producers, a: CallBackAttempt, log: Logger): Promise<void> {
  const o = a.outcome;
  const request = { calledBack: a.callRef, presser: a.presser, ...o.request };
  const response = { ok: o.ok, message: o.message, uniqueId: o.uniqueId, actionId: o.actionId, ...(o.failure ? { failure: o.failure } : {}), ...(o.response ? { pbx: o.response } : {}) };
  try {
    await db.insertInto('integration_logs').values({
      enterprise_number: a.enterprise, integration_type: 'telegram', event_type: 'call_back', call_unique_id: a.callRef,
      request_data: JSON.stringify(request), response_data: JSON.stringify(response), status: o.ok ? 'success' : 'error',
      http_status: null, error_message: o.ok ? null : o.message, attempt: 1, duration_ms: Math.round(o.durationMs),
    }).execute();
  } catch (err) {
    log.warn({ err, enterprise: a.enterprise, callRef: a.callRef }, 'integration_logs write failed; the call-back is only in this log');
  }
  const entry = (callRef: string, operation: string): CallLogIntegrationEntry => ({
    kind: 'integration', enterprise: a.enterprise, callRef, at: a.at.toISOString(), entryKey: `callback-${operation}-${a.callbackQueryId}`,
    integration: 'telegram', operation, status: o.ok ? 'success' : 'error', request, response,
    durationMs: Math.round(o.durationMs), attempt: 1, ...(o.ok ? {} : { error: o.message.slice(0, 4000) }),
  });
  await producers.add('callLog', 'integration', entry(a.callRef, 'call_back'));
  if (o.uniqueId) await producers.add('callLog', 'integration', entry(o.uniqueId, 'call_back_call'));
}
