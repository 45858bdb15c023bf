/**
 * Where a click-to-call attempt is written: one integration_logs row for every attempt (answered or
 * refused, secrets masked), and, for a call the PBX placed, an `integration` entry on the call's
 * trace keyed by the originated channel's Uniqueid, so the trace shows the call was started from the
 * CRM once its events arrive. A failure to log is logged and swallowed: the answer stands.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import type { CallLogIntegrationEntry, Producers } from '@callpipe/queues';

export interface MakeCallAttempt {
  enterprise: string;
  integration: string;
  /** make_call | user_status */
  operation: string;
  callRef: string | null;
  request: unknown;
  response: unknown;
  status: 'success' | 'error';
  httpStatus: number;
  error?: string;
  durationMs: number;
  at: Date;
}

export async function logAttempt(db: Kysely<Database>, producers: Producers | null, a: MakeCallAttempt, log: Logger): Promise<void> {
  try {
    await db.insertInto('integration_logs').values({
      enterprise_number: a.enterprise, integration_type: a.integration, event_type: a.operation, call_unique_id: a.callRef,
      request_data: JSON.stringify(a.request), response_data: JSON.stringify(a.response), status: a.status,
      http_status: a.httpStatus, error_message: a.error ?? null, attempt: 1, duration_ms: Math.round(a.durationMs),
    }).execute();
  } catch (err) {
    log.warn({ err, enterprise: a.enterprise, operation: a.operation }, 'integration_logs write failed; the attempt is only in this log');
  }
  if (!producers || !a.callRef) return;
  const entry: CallLogIntegrationEntry = {
    kind: 'integration', enterprise: a.enterprise, callRef: a.callRef, at: a.at.toISOString(), entryKey: `c2c-${randomUUID()}`,
    integration: a.integration, operation: a.operation, status: a.status, httpStatus: a.httpStatus,
    request: a.request, response: a.response, durationMs: Math.round(a.durationMs), attempt: 1,
    ...(a.error ? { error: a.error.slice(0, 4000) } : {}),
  };
  try {
    await producers.add('callLog', 'integration', entry);
  } catch (err) {
    log.warn({ err, enterprise: a.enterprise, callRef: a.callRef }, 'trace entry for a click-to-call not queued');
  }
}
