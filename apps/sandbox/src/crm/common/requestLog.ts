/** What a sandbox CRM received, as tests and the demo read it back: the newest 5000 requests. */

export interface RecordedRequest {
  seq: number;
  atMs: number;
  account: string;
  method: string;
  /** The API path after the account's base ("call/extid/123", "telephony.externalcall.register"). */
  path: string;
  status: number;
  /** The credentials: as the account has them, missing, or wrong. */
  auth: 'ok' | 'missing' | 'wrong';
  contentType?: string;
  /** What the request carried (JSON body, form fields or query), secrets left out. */
  params: unknown;
  answer: unknown;
  /** An injected fault or the limit ("limit"). */
  fault?: string;
}

const MAX = 5000;

export class RequestLog {
  private list: RecordedRequest[] = [];
  private seq = 0;

  record(r: Omit<RecordedRequest, 'seq'>): void {
    this.seq += 1;
    this.list.push({ seq: this.seq, ...r });
    if (this.list.length > MAX) this.list.splice(0, this.list.length - MAX);
  }

  find(filter: { account?: string; path?: string; since?: number } = {}): RecordedRequest[] {
    return this.list.filter((r) => (filter.account === undefined || r.account === filter.account)
      && (filter.path === undefined || r.path.includes(filter.path))
      && (filter.since === undefined || r.seq > filter.since));
  }

  reset(): void {
    this.list = [];
    this.seq = 0;
  }
}
