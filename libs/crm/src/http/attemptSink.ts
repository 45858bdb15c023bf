/**
 * Where every CRM attempt is written: one `integration_logs` row per call it concerned (or one with no
 * call for a lookup) and one `integration` entry on each call's trace (a call-log job). A failure to
 * log is logged and swallowed: it must never turn a delivered request into a retried one.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import type { Producers } from '@callpipe/queues';
import type { LoggedRequest } from './maskRequest.js';

/** success: ok; retry: timeout, 5xx, network; rate_limited: told to wait; fatal: refused for good. */
export type AttemptStatus = 'success' | 'retry' | 'rate_limited' | 'fatal';

export interface CrmAttempt {
  enterprise: string;
  integration: string;
  /** popup | close | history | customer | responsible */
  action: string;
  /** The calls it was about (a history batch names many; a lookup none). */
  callRefs: readonly string[];
  attempt: number;
  request: LoggedRequest;
  status: AttemptStatus;
  httpStatus?: number;
  response?: unknown;
  error?: string;
  durationMs: number;
  at: Date;
}

export interface AttemptSink {
  record(a: CrmAttempt, log: Logger): Promise<void>;
}

export function attemptSink(db: Kysely<Database>, producers: Producers | null): AttemptSink {
  return {
    async record(a, log) {
      const rows = (a.callRefs.length ? a.callRefs : [null]).map((callRef) => ({
        enterprise_number: a.enterprise, integration_type: a.integration, event_type: a.action, call_unique_id: callRef,
        request_data: JSON.stringify(a.request), response_data: a.response === undefined ? null : JSON.stringify(a.response),
        status: a.status, http_status: a.httpStatus ?? null, error_message: a.error ?? null, attempt: a.attempt,
        duration_ms: Math.round(a.durationMs),
      }));
      try {
        await db.insertInto('integration_logs').values(rows).execute();
      } catch (err) {
        log.warn({ err, integration: a.integration }, 'integration_logs write failed; the attempt is only in the log');
      }
      if (!producers || a.callRefs.length === 0) return;
      try {
        await producers.addBulk('callLog', a.callRefs.map((callRef) => ({
          name: 'integration',
          data: {
            kind: 'integration' as const, enterprise: a.enterprise, callRef, at: a.at.toISOString(), entryKey: `crm-${randomUUID()}`,
            integration: a.integration, operation: `${a.action}: ${a.request.what}`.slice(0, 64), status: a.status,
            ...(a.httpStatus === undefined ? {} : { httpStatus: a.httpStatus }),
            request: a.request, ...(a.response === undefined ? {} : { response: a.response }),
            ...(a.error === undefined ? {} : { error: a.error.slice(0, 4000) }),
            durationMs: Math.round(a.durationMs), attempt: a.attempt,
          },
        })));
      } catch (err) {
        log.warn({ err, integration: a.integration }, 'trace entry for a CRM attempt not queued');
      }
    },
  };
}
