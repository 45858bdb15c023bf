/**
 * The admin's RetailCRM calls (users, the integration module: read, edit), sent through the shared
 * CRM executor so each one is rate-limited with the workers' traffic and written to integration_logs
 * with the key (and the accountUrl token) masked. Every call answers a CrmCallResult: what went, the
 * HTTP status, RetailCRM's answer and its own error text, as they came.
 */
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import {
  adapterFor, attemptSink, createCrmHttp, CrmBreaker, integrationModuleRequest, readRetailCrmSettings,
  type AttemptSink, type CrmAttempt, type CrmRequest, type LoggedRequest, type ModuleSpec, type RetailCrmSettings,
} from '@callpipe/crm';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';

export interface CrmCallResult {
  ok: boolean;
  /** What was asked ("users", "integration-modules/x/edit"). */
  what: string;
  /** Our reading of the answer (RetailCRM's errorMsg and errors when it refused). */
  message: string;
  httpStatus?: number;
  durationMs?: number;
  /** The request as logged (secrets masked). */
  request?: LoggedRequest;
  /** RetailCRM's answer as it came (secrets masked). */
  answer?: unknown;
}

export interface RetailCrmUser {
  id: number;
  name: string;
  email: string;
  active: boolean;
}

export interface AdminCrmSettings {
  redis: Redis;
  prefix: string;
  db: Kysely<Database>;
  timeoutMs: number;
  limiterMaxWaitMs: number;
  log: Logger;
}

const MASK = '***';
const USERS_PAGE = 100;
const MAX_USER_PAGES = 20;

function maskDeep<T>(v: T, secrets: readonly string[]): T {
  if (v === undefined || secrets.length === 0) return v;
  let text = JSON.stringify(v);
  for (const s of secrets) if (s.length >= 8) text = text.split(s).join(MASK);
  return JSON.parse(text) as T;
}

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});

export class AdminCrm {
  private readonly breaker: CrmBreaker;
  private readonly logSink: AttemptSink;

  constructor(private readonly s: AdminCrmSettings) {
    // The admin's calls are the operator's own probes: they must reach RetailCRM even while the
    // dispatch breaker of this enterprise is open (a fixed domain is tested at once), so they use a
    // breaker of their own that never opens.
    this.breaker = new CrmBreaker(s.redis, `${s.prefix}:admin`, { failureThreshold: 1_000_000_000, openMs: 1000, maxOpenMs: 1000, probeLeaseMs: s.timeoutMs * 2 + 1000 });
    this.logSink = attemptSink(s.db, null);
  }

  /** RetailCRM settings from the stored (or just submitted) retailcrm config, or why they are unusable. */
  static settings(raw: Readonly<Record<string, unknown>>): RetailCrmSettings | string {
    return readRetailCrmSettings(raw);
  }

  /** Sends one request; `extraSecrets` (the accountUrl token) are masked in the log row and the result. */
  async call(enterprise: string, raw: Readonly<Record<string, unknown>>, action: string, request: CrmRequest, extraSecrets: readonly string[] = []): Promise<CrmCallResult> {
    const adapter = adapterFor('retailcrm');
    if (!adapter) throw new Error('no retailcrm adapter registered');
    let seen: CrmAttempt | undefined;
    const sink: AttemptSink = {
      record: async (a, log) => {
        const masked: CrmAttempt = { ...a, request: maskDeep(a.request, extraSecrets), ...(a.response === undefined ? {} : { response: maskDeep(a.response, extraSecrets) }) };
        seen = masked;
        await this.logSink.record(masked, log);
      },
    };
    const http = createCrmHttp(
      { redis: this.s.redis, prefix: this.s.prefix, breaker: this.breaker, sink, timeoutMs: this.s.timeoutMs, limiterMaxWaitMs: this.s.limiterMaxWaitMs },
      { adapter, account: { enterprise, type: 'retailcrm', settings: raw }, action, callRefs: [], attempt: 1, log: this.s.log.child({ enterprise, integration: 'retailcrm', action }) },
    );
    const base = (): Omit<CrmCallResult, 'ok' | 'message'> => ({
      what: request.what,
      ...(seen?.httpStatus === undefined ? {} : { httpStatus: seen.httpStatus }),
      ...(seen ? { durationMs: Math.round(seen.durationMs), request: seen.request } : {}),
      ...(seen?.response === undefined ? {} : { answer: seen.response }),
    });
    try {
      await http.send(request);
      return { ok: true, message: seen?.error ? `accepted with warnings: ${seen.error}` : 'ok', ...base() };
    } catch (err) {
      return { ok: false, message: maskDeep((err as Error).message, extraSecrets), ...base() };
    }
  }

  /** GET /api/v5/users?limit=20: the key, the domain and the account answer, nothing is changed. */
  testConnection(enterprise: string, raw: Readonly<Record<string, unknown>>, s: RetailCrmSettings): Promise<CrmCallResult> {
    return this.call(enterprise, raw, 'admin_test', get(s, 'users', 'users (connection test)', { limit: '20' }));
  }

  /** Every user page by page (100 a page, at most 20 pages). */
  async users(enterprise: string, raw: Readonly<Record<string, unknown>>, s: RetailCrmSettings): Promise<{ users: RetailCrmUser[]; result: CrmCallResult }> {
    const users: RetailCrmUser[] = [];
    let result: CrmCallResult | undefined;
    for (let page = 1; page <= MAX_USER_PAGES; page += 1) {
      result = await this.call(enterprise, raw, 'admin_users', get(s, 'users', `users page ${page}`, { limit: String(USERS_PAGE), page: String(page) }));
      if (!result.ok) return { users, result };
      const body = asRecord(result.answer);
      for (const u of Array.isArray(body.users) ? body.users : []) {
        const r = asRecord(u);
        if (typeof r.id !== 'number') continue;
        const name = [r.firstName, r.patronymic, r.lastName].filter((x) => typeof x === 'string' && x.trim()).join(' ') || `user ${r.id}`;
        users.push({ id: r.id, name, email: typeof r.email === 'string' ? r.email : '', active: r.active !== false });
      }
      const pages = Number(asRecord(body.pagination).totalPageCount ?? 1);
      if (!(page < pages)) break;
    }
    return { users: users.sort((a, b) => a.id - b.id), result: result! };
  }

  /** GET integration-modules/{code}: the module as RetailCRM holds it; `missing` when it has none. */
  async module(enterprise: string, raw: Readonly<Record<string, unknown>>, s: RetailCrmSettings, code: string): Promise<{ module: unknown; missing: boolean; result: CrmCallResult }> {
    const result = await this.call(enterprise, raw, 'admin_module_get', get(s, `integration-modules/${encodeURIComponent(code)}`, `integration-modules/${code}`, {}));
    return { module: result.ok ? asRecord(result.answer).integrationModule : undefined, missing: result.httpStatus === 404, result };
  }

  /** POST integration-modules/{code}/edit with the whole module (C1's body); the token in accountUrl is masked in logs. */
  editModule(enterprise: string, raw: Readonly<Record<string, unknown>>, s: RetailCrmSettings, spec: ModuleSpec, action: string, token: string | null): Promise<CrmCallResult> {
    return this.call(enterprise, raw, action, integrationModuleRequest(s, spec), token ? [token] : []);
  }
}

function get(s: RetailCrmSettings, path: string, what: string, query: Record<string, string>): CrmRequest {
  return { method: 'GET', url: `${s.baseUrl}/api/v5/${path}`, headers: { 'X-API-KEY': s.apiKey }, secrets: ['X-API-KEY'], bucket: 'api', what, query };
}
