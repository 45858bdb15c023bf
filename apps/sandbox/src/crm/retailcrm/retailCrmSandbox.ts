/**
 * The sandbox's RetailCRM API v5: accounts, per-key limits and faults behind one `handle`, which
 * answers a request as RetailCRM would (faults first, then the key, then the limit, then the method)
 * and records it.
 */
import { sleep } from '../common/answer.js';
import { DOWN_PAGE, drawFault, NO_FAULTS, type CrmFaults } from '../common/faults.js';
import { bucketOf, KeyLimits, RETAILCRM_SANDBOX_LIMITS, type RetailCrmLimits } from './limits.js';
import { runMethod } from './methods.js';
import { newAccount, RetailCrmState, type Account, type RecordedRequest, type SandboxCustomer, type SandboxUser } from './state.js';
import { fail, type ApiAnswer, type Params } from './validate.js';

export interface RetailCrmRequest {
  account: string;
  method: string;
  /** After /api/v5/. */
  path: string;
  apiKey: string | undefined;
  contentType: string | undefined;
  params: Params;
  /** The account's API base (http://host/retailcrm/<account>), for links in answers. */
  baseUrl: string;
}

export interface AccountSetup {
  name: string;
  apiKey: string;
  users?: (Omit<SandboxUser, 'email' | 'active'> & { email?: string; active?: boolean; code?: string })[];
  customers?: SandboxCustomer[];
  /** Unknown codes and user ids become users on first sight (default false for accounts set up here). */
  autoUsers?: boolean;
}

const JSON_FIELDS = ['event', 'calls', 'integrationModule'];

function readable(params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === 'apiKey') continue;
    if (JSON_FIELDS.includes(k) && typeof v === 'string') {
      try {
        out[k] = JSON.parse(v) as unknown;
        continue;
      } catch { /* kept as sent */ }
    }
    out[k] = v;
  }
  return out;
}

export class RetailCrmSandbox {
  readonly state = new RetailCrmState();
  readonly limits: KeyLimits;
  /** Faults per account name; "*" applies to accounts without their own. */
  readonly faults = new Map<string, CrmFaults>();
  private readonly initialLimits: RetailCrmLimits;
  /** The sandbox's clock (limits, popup times); tests freeze it to count a limit to the request. */
  clock: () => number = Date.now;

  constructor(limits: RetailCrmLimits = RETAILCRM_SANDBOX_LIMITS) {
    this.initialLimits = limits;
    this.limits = new KeyLimits({ ...limits });
  }

  faultsFor(account: string): CrmFaults {
    return this.faults.get(account) ?? this.faults.get('*') ?? { ...NO_FAULTS };
  }

  setup(s: AccountSetup): Account {
    const a = newAccount(s.name, s.apiKey, s.autoUsers ?? false);
    for (const u of s.users ?? []) {
      a.users.set(u.id, { id: u.id, firstName: u.firstName, lastName: u.lastName, email: u.email ?? `user${u.id}@sandbox.local`, active: u.active ?? true });
      if (u.code) a.codes.set(u.code, u.id);
    }
    a.customers = (s.customers ?? []).map((c) => ({ ...c, phones: [...c.phones] }));
    this.state.accounts.set(s.name, a);
    return a;
  }

  async handle(r: RetailCrmRequest): Promise<ApiAnswer> {
    const now = this.clock;
    const started = now();
    const faults = this.faultsFor(r.account);
    if (faults.delayMs > 0) await sleep(faults.delayMs);
    let keyState: RecordedRequest['apiKey'] = r.apiKey ? 'ok' : 'missing';
    let fault: string | undefined;
    const answer = ((): ApiAnswer => {
      const injected = drawFault(faults);
      if (injected) fault = injected.kind;
      if (injected?.kind === 'down') return { status: 503, body: DOWN_PAGE, html: true };
      if (injected?.kind === '401') return fail(401, 'Wrong "apiKey" value.');
      if (injected?.kind === '500') return fail(500, 'Internal Server Error');
      if (injected?.kind === '429' || injected?.kind === '503') {
        const a = fail(injected.kind === '429' ? 429 : 503, injected.kind === '429' ? 'Too Many Requests' : 'Service Unavailable');
        return { ...a, headers: { 'Retry-After': String(injected.retryAfterSec) } };
      }
      if (!r.apiKey) return fail(401, '"apiKey" is missing.');
      const account = this.state.accountFor(r.account);
      if (account.apiKey === null) account.apiKey = r.apiKey;
      if (account.apiKey !== r.apiKey) {
        keyState = 'wrong';
        return fail(401, 'Wrong "apiKey" value.');
      }
      const waitMs = this.limits.take(account.name, bucketOf(r.path), now());
      if (waitMs > 0) {
        fault = 'limit';
        return { ...fail(429, `Limit of requests per second exceeded (${bucketOf(r.path)})`), headers: { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) } };
      }
      return runMethod(r.method, r.path, { state: this.state, account, params: r.params, now: now(), baseUrl: r.baseUrl });
    })();
    this.state.record({
      atMs: started, account: r.account, method: r.method, path: r.path, status: answer.status, apiKey: keyState,
      ...(r.contentType ? { contentType: r.contentType } : {}), params: readable(r.params), answer: answer.html ? '(html page)' : answer.body,
      ...(fault ? { fault } : {}),
    });
    return answer;
  }

  /** Back to a clean RetailCRM: no accounts, no requests, no faults, the configured limits. */
  reset(): void {
    this.state.reset();
    this.faults.clear();
    this.limits.reset({ ...this.initialLimits });
    this.clock = Date.now;
  }
}
