/**
 * What the sandbox RetailCRM holds per account (one account per path segment, as one RetailCRM
 * subdomain per shop): its API key, users and their telephony codes, customers, integration modules,
 * each manager's open call popups, the call history; and a record of every request.
 */

export interface SandboxUser {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  active: boolean;
}

export interface SandboxCustomer {
  id: number;
  firstName: string;
  lastName: string;
  patronymic?: string;
  email?: string;
  phones: { number: string }[];
  managerId?: number;
}

/** A call popup on one manager's screen. */
export interface Popup {
  callKey: string;
  callExternalId?: string;
  phone: string;
  type: 'in' | 'out';
  externalPhone?: string;
  customerName?: string;
  openedAt: string;
  openedAtMs: number;
}

/** A popup taken down by a hangup (kept briefly so a page shows it closing, and tests see when). */
export interface ClosedPopup extends Popup {
  userId: number;
  closedAt: string;
  hangupStatus?: string;
}

export interface HistoryRow {
  externalId: string;
  date: string;
  type: string;
  phone: string;
  code?: string;
  userId?: number;
  managerName?: string;
  result: string;
  duration?: number;
  externalPhone?: string;
  recordUrl?: string;
  receivedAt: string;
}

export interface Account {
  name: string;
  /** null: not yet bound; the first request's key becomes the account's key. */
  apiKey: string | null;
  /** Unknown codes and user ids become users on first sight (accounts the demo never set up). */
  autoUsers: boolean;
  users: Map<number, SandboxUser>;
  /** Telephony code (extension) → user id, from the module's additionalCodes or the account setup. */
  codes: Map<string, number>;
  customers: SandboxCustomer[];
  modules: Map<string, Record<string, unknown>>;
  /** user id → call key → popup. */
  popups: Map<number, Map<string, Popup>>;
  closed: ClosedPopup[];
  history: Map<string, HistoryRow>;
}

export interface RecordedRequest {
  seq: number;
  at: string;
  atMs: number;
  account: string;
  method: string;
  /** Path after /api/v5/, e.g. "telephony/call/event". */
  path: string;
  status: number;
  /** ok / missing / wrong: never the key itself. */
  apiKey: 'ok' | 'missing' | 'wrong';
  contentType?: string;
  /** Form fields and query as received; JSON fields (event, calls, integrationModule) parsed when they parse. */
  params: Record<string, unknown>;
  answer: unknown;
  fault?: string;
}

const REQUESTS_KEPT = 50_000;
const CLOSED_KEPT = 200;

export function newAccount(name: string, apiKey: string | null, autoUsers: boolean): Account {
  return {
    name, apiKey, autoUsers, users: new Map(), codes: new Map(), customers: [], modules: new Map(),
    popups: new Map(), closed: [], history: new Map(),
  };
}

export class RetailCrmState {
  readonly accounts = new Map<string, Account>();
  private requests: RecordedRequest[] = [];
  private seq = 0;

  account(name: string): Account | undefined {
    return this.accounts.get(name);
  }

  /** The account behind a path segment; created unbound (auto users) on first use. */
  accountFor(name: string): Account {
    let a = this.accounts.get(name);
    if (!a) {
      a = newAccount(name, null, true);
      this.accounts.set(name, a);
    }
    return a;
  }

  record(r: Omit<RecordedRequest, 'seq' | 'at'>): RecordedRequest {
    this.seq += 1;
    const full = { seq: this.seq, at: new Date(r.atMs).toISOString(), ...r };
    this.requests.push(full);
    if (this.requests.length > REQUESTS_KEPT) this.requests = this.requests.slice(-REQUESTS_KEPT / 2);
    return full;
  }

  requestLog(filter: { account?: string; path?: string; since?: number }): RecordedRequest[] {
    return this.requests.filter((r) => (filter.account === undefined || r.account === filter.account)
      && (filter.path === undefined || r.path === filter.path)
      && (filter.since === undefined || r.seq > filter.since));
  }

  closePopup(a: Account, userId: number, callKey: string, hangupStatus: string | undefined, now: number): boolean {
    const open = a.popups.get(userId);
    const p = open?.get(callKey);
    if (!open || !p) return false;
    open.delete(callKey);
    a.closed.push({ ...p, userId, closedAt: new Date(now).toISOString(), ...(hangupStatus ? { hangupStatus } : {}) });
    if (a.closed.length > CLOSED_KEPT) a.closed.splice(0, a.closed.length - CLOSED_KEPT);
    return true;
  }

  reset(): void {
    this.accounts.clear();
    this.requests = [];
    this.seq = 0;
  }
}
