/**
 * The seam every CRM plugs into. An adapter (one folder per CRM: `libs/crm/src/<name>/`) turns call
 * facts into that CRM's requests with pure mapping functions, sends them through the shared
 * `CrmHttp` (timeouts, per-account rate limit, breaker, logging to integration_logs and the call's
 * trace, secrets masked) and says how to read each answer (`classify`). Adding a CRM is one folder
 * and one line in the registry.
 */
import type { CallFacts } from '@callpipe/call-facts';
import type { Logger } from '@callpipe/logging';

/** popup: the call rings (show it to the managers rung); close: the call ended (take the popup down); history: the call in the customer's history. */
export type CrmAction = 'popup' | 'close' | 'history';

/** One integration of one enterprise: its settings from `integrations_config[type]`, already schema-checked. */
export interface CrmAccount {
  enterprise: string;
  /** The key in integrations_config: retailcrm, ms, uon, bitrix24. */
  type: string;
  settings: Readonly<Record<string, unknown>>;
}

/** A request as the adapter wants it sent. Secrets are named so logs and traces show them masked. */
export interface CrmRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Readonly<Record<string, string>>;
  query?: Readonly<Record<string, string>>;
  /** application/x-www-form-urlencoded body. */
  form?: Readonly<Record<string, string>>;
  json?: unknown;
  /** Header, query and form field names whose values are secrets. */
  secrets?: readonly string[];
  /** Rate-limit bucket of the account this request counts against (RetailCRM: 'api' and 'telephony'). */
  bucket?: string;
  /** What the request is for, for logs and the trace ("telephony/call/event in"). */
  what: string;
}

export interface CrmResponse {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON when the answer was JSON, else the text. */
  body: unknown;
  durationMs: number;
}

/**
 * How to read an answer: ok; retry later (timeouts, 5xx); rate-limited (wait this long, then retry,
 * without it counting as a failure of the CRM); fatal (a retry cannot fix it: bad key, validation).
 * `auth` marks fatal answers that mean the integration itself is misconfigured (flagged in /health).
 * `warnings` carry what an ok answer still complains about (RetailCRM notExistCodes / notExistUsers).
 */
export type CrmVerdict =
  | { kind: 'ok'; warnings?: string[] }
  | { kind: 'retry'; reason: string }
  | { kind: 'rate-limited'; waitMs: number; reason: string }
  | { kind: 'fatal'; reason: string; auth: boolean };

/** Thrown by CrmHttp.send for any answer that is not ok; the dispatch processor maps it to BullMQ's retry or UnrecoverableError. */
export class CrmRequestError extends Error {
  constructor(readonly verdict: Exclude<CrmVerdict, { kind: 'ok' }>, readonly what: string) {
    super(`${what}: ${verdict.reason}`);
    this.name = 'CrmRequestError';
  }
}

/** Sends one request for one account and call; throws CrmRequestError unless the adapter's classify says ok. */
export interface CrmHttp {
  send(request: CrmRequest): Promise<CrmResponse>;
}

/** Small per-call memory of an adapter across actions and retries (e.g. the CRM's own call id), keyed by (enterprise, type, callRef). */
export interface CrmCallState {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

export interface CrmContext {
  account: CrmAccount;
  http: CrmHttp;
  state: CrmCallState;
  /** Bound to { enterprise, callId, integration, action }. */
  log: Logger;
}

export interface CrmCustomer {
  name: string;
  /** The CRM's own profile fields worth showing (email, company, link). */
  profile?: Readonly<Record<string, string>>;
}

export interface CrmAdapter {
  /** The key in integrations_config. */
  readonly type: string;
  readonly title: string;
  /** Requests per second allowed per account and bucket (shared by every workers process). */
  readonly limits: Readonly<Record<string, { requests: number; perMs: number }>>;
  /** The call rings for `managers` (extensions; every one rung, or the new one after a transfer). */
  popup(facts: CallFacts, managers: readonly string[], ctx: CrmContext): Promise<void>;
  /** The call ended: close every popup it opened. */
  close(facts: CallFacts, ctx: CrmContext): Promise<void>;
  /** The ended call in the customer's history (type, result, manager, host duration, record URL). */
  history(facts: CallFacts, ctx: CrmContext): Promise<void>;
  /**
   * Optional: many ended calls of one account in as few requests as the CRM allows (RetailCRM
   * calls/upload: 50 a request). `send` may split `list` itself; a dispatcher that batches gives it at most `max`.
   */
  historyBatch?: { readonly max: number; send(list: readonly CallFacts[], ctx: CrmContext): Promise<void> };
  customer(phone: string, ctx: CrmContext): Promise<CrmCustomer | null>;
  /** The extension of the manager responsible for this customer, if the CRM knows one. */
  responsibleExtension(phone: string, ctx: CrmContext): Promise<string | null>;
  /** How to read an answer or a transport error (timeout, refused). */
  classify(outcome: CrmResponse | Error, request: CrmRequest): CrmVerdict;
}
