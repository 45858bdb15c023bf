/**
 * Click-to-call from RetailCRM: the enterprise by clientId (its number), the manager's extension
 * (code, else user_extensions[userId]), the customer's number checked, then the call originated on
 * the enterprise's Asterisk over AMI (manager first, then the customer) within hard timeouts.
 * Every attempt of a known enterprise is logged (integration_logs; the call's trace once placed).
 * Answers: 200 placed; 400 bad request or no extension; 403 unknown clientId; 502 the PBX refused,
 * refused the login, could not be reached or did not answer in time.
 */
import { amiSettingsOf, placeCall, type OriginateTimeouts } from '@callpipe/ami';
import type { ConfigCache } from '@callpipe/config-cache';
import type { Logger } from '@callpipe/logging';
import { extensionFor, noExtensionMessage, readMakeCall } from './makeCallParams.js';
import type { MakeCallAttempt } from './attemptLog.js';

export interface MakeCallDeps {
  cache: ConfigCache;
  timeouts: OriginateTimeouts;
  log: Logger;
  /** Writes the attempt (integration_logs, trace); awaited so a test can read it at once. */
  record: (a: MakeCallAttempt) => Promise<void>;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const INTEGRATION = 'retailcrm';
const OPERATION = 'make_call';

const error = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Answer =>
  ({ status, body: { success: false, status: 'error', error: code, message, ...extra } });

export async function makeCall(d: MakeCallDeps, query: Record<string, unknown>, body: unknown): Promise<Answer> {
  const at = new Date();
  const started = Date.now();
  const checked = readMakeCall(query, body);
  const clientId = typeof query.clientId === 'string' ? query.clientId : checked.ok ? checked.value.clientId : null;
  const found = clientId ? await d.cache.lookup(clientId, 'config') : null;
  // clientId is the enterprise number given to RetailCRM at module registration; a name or host token is not accepted.
  if (!found || found.entry.number !== clientId) {
    d.log.warn({ clientId: clientId?.slice(0, 32) }, 'make-call for an unknown clientId');
    return error(403, 'unknown_client', 'Unknown clientId');
  }
  const enterprise = found.entry.number;
  const log = d.log.child({ enterprise, operation: OPERATION });
  const finish = async (answer: Answer, extra: Partial<MakeCallAttempt> = {}): Promise<Answer> => {
    const ok = answer.status === 200;
    await d.record({
      enterprise, integration: INTEGRATION, operation: OPERATION, callRef: null,
      request: { params: { ...query, ...(typeof body === 'object' && body !== null ? body : {}) } }, response: answer.body,
      status: ok ? 'success' : 'error', httpStatus: answer.status, durationMs: Date.now() - started, at,
      ...(ok ? {} : { error: String(answer.body.message) }), ...extra,
    });
    log[ok ? 'info' : 'warn']({ status: answer.status, error: answer.body.error, durationMs: Date.now() - started }, `make-call answered ${answer.status}`);
    return answer;
  };
  if (!checked.ok) return finish(error(400, checked.field === 'phone' ? 'invalid_phone' : 'invalid_param', checked.message, { field: checked.field }));
  const p = checked.value;
  const extension = extensionFor(p, found.entry.configs.retailcrm?.user_extensions);
  if (!extension) return finish(error(400, 'no_extension', noExtensionMessage(p.userId)));
  const settings = amiSettingsOf(found.entry.configs);
  if (!settings) return finish(error(502, 'not_configured', 'The enterprise has no usable AMI settings (integrations_config.ami)'));

  const variables: Record<string, string> = { CALLPIPE_ORIGIN: 'retailcrm' };
  if (p.userId) variables.CALLPIPE_CRM_USER = p.userId;
  if (p.externalPhone) variables.CALLPIPE_EXTERNAL_PHONE = p.externalPhone;
  const outcome = await placeCall(settings, { extension, phone: p.phone, variables }, d.timeouts);
  const request = { params: p, ...outcome.request };
  const pbx = outcome.response ? { pbx: outcome.response } : {};
  if (!outcome.ok) {
    const refused = error(502, outcome.failure ?? 'failed', outcome.message, { extension, phone: p.phone });
    return finish(refused, { request, response: { ...refused.body, ...pbx } });
  }
  const answer: Answer = {
    status: 200,
    body: { success: true, status: 'ok', message: outcome.message, enterprise_number: enterprise, extension, phone: p.phone, uniqueId: outcome.uniqueId, actionId: outcome.actionId },
  };
  return finish(answer, { callRef: outcome.uniqueId, request, response: { ...answer.body, ...pbx } });
}
