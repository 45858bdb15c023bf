/**
 * The one way a CRM request leaves this system (CrmHttp): the breaker of its (enterprise, integration)
 * is asked first, the account's rate-limit bucket (shared by every process) is drawn from, the request
 * goes out with got under a hard timeout and no retries of got's own (BullMQ retries the job), the
 * adapter's `classify` reads the answer, and the attempt — request with secrets masked, answer,
 * status, duration, error — is written to integration_logs and to the call's trace.
 */
import { createHash } from 'node:crypto';
import got, { type Method } from 'got';
import type { Redis } from 'ioredis';
import type { Logger } from '@callpipe/logging';
import { metrics } from '@callpipe/metrics';
import { bucketOf, RateLimitWaitTooLong, TokenBuckets, type Bucket } from '@callpipe/ratelimit';
import { CrmRequestError, type CrmAccount, type CrmAdapter, type CrmHttp, type CrmRequest, type CrmResponse, type CrmVerdict } from '../adapter.js';
import type { CrmBreaker } from '../breaker/breaker.js';
import type { AttemptSink, AttemptStatus } from './attemptSink.js';
import { loggedBody, maskRequest, maskText, secretValuesOf } from './maskRequest.js';
import { CrmBreakerOpenError, CrmTransportError } from './transportError.js';

export interface CrmHttpDeps {
  redis: Redis;
  prefix: string;
  breaker: CrmBreaker;
  sink: AttemptSink;
  /** Hard timeout of one request (2–3 s). */
  timeoutMs: number;
  /** Longest wait for the account's rate-limit bucket inside a job; a longer one delays the job instead. */
  limiterMaxWaitMs: number;
  /** Called when a breaker changes state (metrics, logs). */
  onBreaker?: (enterprise: string, integration: string, state: string, previous: string) => void;
}

export interface CrmHttpScope {
  adapter: CrmAdapter;
  account: CrmAccount;
  /** popup | close | history | customer | responsible */
  action: string;
  callRefs: readonly string[];
  /** The job's attempt number (1 for lookups). */
  attempt: number;
  log: Logger;
}

const statusOf: Record<CrmVerdict['kind'], AttemptStatus> = { ok: 'success', retry: 'retry', 'rate-limited': 'rate_limited', fatal: 'fatal' };

/** The bucket key names the account by a hash of its credentials: two enterprises on one CRM key share its limit. */
function accountId(account: CrmAccount, secrets: readonly string[]): string {
  if (secrets.length === 0) return account.enterprise;
  return createHash('sha1').update(`${account.type}\n${[...secrets].sort().join('\n')}`).digest('hex').slice(0, 16);
}

/**
 * We keep to 90% of a CRM's stated limit: our bucket grants a slot when the request leaves, the CRM
 * counts it when it arrives, and requests granted evenly can arrive bunched.
 */
const LIMIT_MARGIN = 0.9;

function bucketFor(deps: CrmHttpDeps, scope: CrmHttpScope, request: CrmRequest, secrets: readonly string[]): Bucket | null {
  const limits = scope.adapter.limits;
  const name = request.bucket ?? Object.keys(limits)[0];
  const limit = name === undefined ? undefined : limits[name];
  if (!name || !limit) return null;
  const requests = Math.max(1, Math.floor(limit.requests * LIMIT_MARGIN));
  return bucketOf(`${deps.prefix}:crm:rate:${scope.account.type}:${accountId(scope.account, secrets)}:${name}`, requests, limit.perMs);
}

function parseBody(text: string, contentType: string | undefined): unknown {
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function transportError(err: unknown): CrmTransportError {
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') return new CrmTransportError('timeout', e.message ?? 'timeout');
  return new CrmTransportError('network', `${e.code ?? e.name ?? 'error'}: ${e.message ?? String(err)}`);
}

async function sendOnce(request: CrmRequest, timeoutMs: number): Promise<CrmResponse | CrmTransportError> {
  const started = performance.now();
  try {
    const res = await got(request.url, {
      method: request.method as Method,
      ...(request.headers ? { headers: { ...request.headers } } : {}),
      ...(request.query ? { searchParams: { ...request.query } } : {}),
      ...(request.form ? { form: { ...request.form } } : {}),
      ...(request.json !== undefined ? { json: request.json } : {}),
      timeout: { request: timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
    });
    return {
      status: res.statusCode, headers: res.headers, body: parseBody(res.body, res.headers['content-type']),
      durationMs: performance.now() - started,
    };
  } catch (err) {
    return transportError(err);
  }
}

export function createCrmHttp(deps: CrmHttpDeps, scope: CrmHttpScope): CrmHttp {
  const { account, adapter } = scope;
  const secrets = secretValuesOf(account.settings);
  const limiter = new TokenBuckets(deps.redis);
  const e = account.enterprise;
  const type = account.type;
  const log = scope.log;

  const breakerMoved = (state: string, previous: string): void => {
    if (state === previous) return;
    log.warn({ enterprise: e, integration: type, state, previous }, `CRM circuit ${state}`);
    deps.onBreaker?.(e, type, state, previous);
  };

  return {
    async send(request) {
      const decision = await deps.breaker.allow(e, type);
      if (!decision.allowed) throw new CrmBreakerOpenError(e, type, decision.waitMs);
      if (decision.probe) log.info({ integration: type, what: request.what }, 'CRM circuit half-open: this request is the probe');

      const bucket = bucketFor(deps, scope, request, secrets);
      if (bucket) {
        try {
          await limiter.take([bucket], deps.limiterMaxWaitMs, `${type} rate limit`);
        } catch (err) {
          if (!(err instanceof RateLimitWaitTooLong)) throw err;
          throw new CrmRequestError({ kind: 'rate-limited', waitMs: err.waitMs, reason: `our ${type} rate limit: next slot in ${err.waitMs} ms` }, request.what);
        }
      }

      const at = new Date();
      const outcome = await sendOnce(request, deps.timeoutMs);
      let verdict: CrmVerdict;
      try {
        verdict = adapter.classify(outcome, request);
      } catch (err) {
        verdict = { kind: 'retry', reason: `classify failed: ${(err as Error).message}` };
      }
      const durationMs = outcome instanceof Error ? deps.timeoutMs : outcome.durationMs;
      const status = statusOf[verdict.kind];
      const error = verdict.kind === 'ok' ? (verdict.warnings?.length ? verdict.warnings.join('; ') : undefined) : verdict.reason;
      await deps.sink.record({
        enterprise: e, integration: type, action: scope.action, callRefs: scope.callRefs, attempt: scope.attempt,
        request: maskRequest(request, secrets), status, durationMs, at,
        ...(outcome instanceof Error ? {} : { httpStatus: outcome.status, response: loggedBody(outcome.body, secrets) }),
        ...(error === undefined ? {} : { error: maskText(error, secrets) }),
      }, log);
      metrics.crmRequests.inc({ integration: type, operation: scope.action, result: outcome instanceof Error ? outcome.kind : verdict.kind === 'ok' ? 'ok' : String(outcome.status) });
      log.debug({ integration: type, what: request.what, status, httpStatus: outcome instanceof Error ? undefined : outcome.status, durationMs: Math.round(durationMs) }, 'CRM request');

      switch (verdict.kind) {
        case 'ok': {
          const t = await deps.breaker.success(e, type);
          breakerMoved(t.state, t.previous);
          if (verdict.warnings?.length) log.warn({ integration: type, what: request.what, warnings: verdict.warnings }, 'CRM took the request with warnings');
          if (outcome instanceof Error) throw new CrmRequestError({ kind: 'retry', reason: 'classified a transport error as ok' }, request.what);
          return outcome;
        }
        case 'retry': {
          const t = await deps.breaker.failure(e, type, verdict.reason);
          breakerMoved(t.state, t.previous);
          throw new CrmRequestError(verdict, request.what);
        }
        case 'rate-limited':
          // Every process holds off this account for the wait the CRM asked for.
          if (bucket) await limiter.hold(bucket, verdict.waitMs);
          throw new CrmRequestError(verdict, request.what);
        case 'fatal':
          throw new CrmRequestError(verdict, request.what);
      }
    },
  };
}
