/**
 * RetailCRM's changeUserStatusUrl: a manager's status (free, busy, dinner, break) with clientId,
 * userId and code. Recorded per enterprise (libs/ami managerStatus) so smart redirect leaves managers
 * who are away alone, and logged to integration_logs. 200 recorded; 400 no status; 403 unknown clientId.
 */
import type { Redis } from 'ioredis';
import { saveManagerStatus } from '@callpipe/ami';
import type { ConfigCache } from '@callpipe/config-cache';
import type { Logger } from '@callpipe/logging';
import type { MakeCallAttempt } from './attemptLog.js';
import type { Answer } from './makeCall.js';

export interface UserStatusDeps {
  cache: ConfigCache;
  redis: Redis;
  prefix: string;
  log: Logger;
  record: (a: MakeCallAttempt) => Promise<void>;
}

const field = (query: Record<string, unknown>, body: Record<string, unknown>, k: string): string | null => {
  const v = query[k] ?? body[k];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 64) : null;
};

export async function changeUserStatus(d: UserStatusDeps, query: Record<string, unknown>, rawBody: unknown): Promise<Answer> {
  const started = Date.now();
  const body = typeof rawBody === 'object' && rawBody !== null && !Array.isArray(rawBody) ? (rawBody as Record<string, unknown>) : {};
  const clientId = field(query, body, 'clientId');
  const found = clientId ? await d.cache.lookup(clientId, 'config') : null;
  if (!found || found.entry.number !== clientId) return { status: 403, body: { success: false, status: 'error', error: 'unknown_client', message: 'Unknown clientId' } };
  const enterprise = found.entry.number;
  const status = field(query, body, 'status');
  const userId = field(query, body, 'userId');
  const code = field(query, body, 'code');
  const params = { clientId, userId, code, status };
  let answer: Answer;
  if (!status || !/^[A-Za-z_-]{1,32}$/.test(status)) {
    answer = { status: 400, body: { success: false, status: 'error', error: 'invalid_param', field: 'status', message: 'status is required (free, busy, dinner, break)' } };
  } else if ((userId && !/^\d{1,12}$/.test(userId)) || (code && !/^\d{1,10}$/.test(code)) || (!userId && !code)) {
    answer = { status: 400, body: { success: false, status: 'error', error: 'invalid_param', field: 'userId', message: 'userId (digits) or code (an extension) is required' } };
  } else {
    // The code RetailCRM sends is the manager's extension; without it, the one mapped to userId.
    const mapped = userId ? (found.entry.configs.retailcrm?.user_extensions as Record<string, unknown> | undefined)?.[userId] : undefined;
    const extension = code ?? (typeof mapped === 'string' ? mapped : null);
    await saveManagerStatus(d.redis, d.prefix, enterprise, { status: status.toLowerCase(), userId, extension, at: new Date().toISOString() });
    answer = { status: 200, body: { success: true, status: 'ok', enterprise_number: enterprise, userId, extension, managerStatus: status.toLowerCase() } };
  }
  await d.record({
    enterprise, integration: 'retailcrm', operation: 'user_status', callRef: null, request: params, response: answer.body,
    status: answer.status === 200 ? 'success' : 'error', httpStatus: answer.status, durationMs: Date.now() - started, at: new Date(),
    ...(answer.status === 200 ? {} : { error: String(answer.body.message) }),
  });
  d.log.info({ enterprise, userId, code, managerStatus: status, answer: answer.status }, 'manager status from RetailCRM');
  return answer;
}
