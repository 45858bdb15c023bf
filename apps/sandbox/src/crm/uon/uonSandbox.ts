/**
 * The sandbox U-ON: https://api.u-on.ru/{key}/<method>.json stood in for under /uon/<account>/{key}/.
 * The key binds an account made on first sight; another key later is refused (403). POST bodies are
 * read as U-ON (PHP) reads them: form fields only — a JSON body arrives empty. 5 requests a second
 * per key, 429 over it. Methods: user/phone/{phone} (client lookup), notification/create (the
 * manager's flash message), call_history/create (the call in the client's history), manager.
 */
import type { SandboxAnswer } from '../common/answer.js';
import { DOWN_PAGE, type Injected } from '../common/faults.js';
import { CrmSandboxBase } from '../common/sandboxBase.js';
import type { AccountScreens, ManagerScreen } from '../common/screens.js';

export interface UonRequest {
  account: string;
  key: string;
  method: string;
  /** Between the key and ".json": "user/phone/375291234567", "call_history/create". */
  path: string;
  contentType?: string;
  /** Form fields of a POST (JSON bodies are not read). */
  form: Record<string, unknown>;
}

export interface UonManager { id: string; name: string; extension?: string }
export interface UonClient { id: string; surname: string; name: string; phone: string; email?: string; managerId?: string }
export interface UonNotification { id: number; managerId: string; text: string; atMs: number }
export interface UonHistoryRow { id: number; phone: string; start: string; duration: number; direction: 1 | 2; managerId?: string; recordLink?: string; atMs: number }

export interface UonAccount {
  name: string;
  key: string | null;
  /** A manager id first seen in a request becomes a manager (accounts made on first request). */
  autoManagers: boolean;
  managers: UonManager[];
  clients: UonClient[];
  notifications: UonNotification[];
  history: UonHistoryRow[];
}

export const UON_SANDBOX_LIMIT = { requests: 5, perMs: 1_000 };
/** How long a notification stays on a manager's screen in the page. */
export const NOTIFICATION_ON_SCREEN_MS = 60_000;

const fail = (status: number, message: string): SandboxAnswer => ({ status, body: { result: status, message } });
const digits = (s: string): string => s.replace(/\D/g, '');
const START = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function faultAnswer(f: NonNullable<Injected>): SandboxAnswer {
  switch (f.kind) {
    case 'down': return { status: 503, body: DOWN_PAGE, html: true };
    case '401': return fail(403, 'Access denied: invalid API key');
    case '500': return fail(500, 'Internal server error');
    case '429': return { ...fail(429, 'Too many requests'), headers: { 'Retry-After': String(f.retryAfterSec) } };
    case '503': return { ...fail(503, 'Service unavailable'), headers: { 'Retry-After': String(f.retryAfterSec) } };
  }
}

export class UonSandbox extends CrmSandboxBase {
  readonly accountsByName = new Map<string, UonAccount>();
  private seq = 0;

  constructor(rule = UON_SANDBOX_LIMIT) {
    super('uon', rule);
  }

  private account(name: string): UonAccount {
    let a = this.accountsByName.get(name);
    if (!a) {
      a = { name, key: null, autoManagers: true, managers: [], clients: [], notifications: [], history: [] };
      this.accountsByName.set(name, a);
    }
    return a;
  }

  setup(b: Record<string, unknown>): unknown {
    if (typeof b.name !== 'string' || !/^[\w.-]+$/.test(b.name)) return 'name (letters, digits, . _ -) is required';
    const managers = Array.isArray(b.managers) ? (b.managers as UonManager[]).filter((m) => m.id).map((m) => ({ ...m, id: String(m.id) })) : [];
    const clients = Array.isArray(b.clients) ? (b.clients as UonClient[]).filter((c) => c.phone).map((c, i) => ({ ...c, id: String(c.id ?? 1000 + i), managerId: c.managerId === undefined ? undefined : String(c.managerId) })) : [];
    const a: UonAccount = {
      name: b.name, key: typeof b.key === 'string' ? b.key : null, autoManagers: b.autoManagers !== false,
      managers, clients: clients as UonClient[], notifications: [], history: [],
    };
    this.accountsByName.set(a.name, a);
    return { name: a.name, managers: a.managers.length, clients: a.clients.length };
  }

  accounts(): unknown[] {
    return [...this.accountsByName.values()].map((a) => ({ name: a.name, bound: a.key !== null, managers: a.managers.length, clients: a.clients.length, notifications: a.notifications.length, history: a.history.length }));
  }

  async handle(r: UonRequest, now: () => number = Date.now): Promise<SandboxAnswer> {
    const started = now();
    const injected = await this.injected(r.account);
    let auth: 'ok' | 'wrong' = 'ok';
    const answer = ((): SandboxAnswer => {
      if (injected) return faultAnswer(injected);
      const a = this.account(r.account);
      if (a.key === null) a.key = r.key;
      if (a.key !== r.key) {
        auth = 'wrong';
        return fail(403, 'Access denied: invalid API key');
      }
      const wait = this.limiter.take(`${a.name}:${r.key}`, now());
      if (wait > 0) return { ...fail(429, 'Too many requests'), headers: { 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) } };
      return this.method(a, r, now());
    })();
    this.log.record({
      atMs: started, account: r.account, method: r.method, path: r.path, status: answer.status, auth,
      ...(r.contentType ? { contentType: r.contentType } : {}), params: r.form, answer: answer.html ? '(html page)' : answer.body,
      ...(injected ? { fault: injected.kind } : answer.status === 429 ? { fault: 'limit' } : {}),
    });
    return answer;
  }

  private manager(a: UonAccount, id: unknown): UonManager | null {
    const key = typeof id === 'string' || typeof id === 'number' ? String(id).trim() : '';
    if (!/^\d+$/.test(key)) return null;
    let m = a.managers.find((x) => x.id === key);
    if (!m && a.autoManagers) {
      m = { id: key, name: `Менеджер ${key}` };
      a.managers.push(m);
    }
    return m ?? null;
  }

  private method(a: UonAccount, r: UonRequest, now: number): SandboxAnswer {
    const f = r.form;
    let m: RegExpExecArray | null;
    if (r.method === 'GET' && (m = /^user\/phone\/([^/]+)$/.exec(r.path))) {
      const d = digits(decodeURIComponent(m[1]!));
      const found = d.length >= 5 ? a.clients.filter((c) => digits(c.phone).endsWith(d.slice(-9))) : [];
      if (found.length === 0) return fail(404, 'User not found');
      return { status: 200, body: { users: found.map((c) => ({ u_id: Number(c.id), u_surname: c.surname, u_name: c.name, u_sname: '', u_phone: c.phone, u_email: c.email ?? '', manager_id: c.managerId === undefined ? 0 : Number(c.managerId) })) } };
    }
    if (r.method === 'GET' && r.path === 'manager') {
      return { status: 200, body: { users: a.managers.map((x) => ({ u_id: Number(x.id), u_name: x.name })) } };
    }
    if (r.method === 'POST' && r.path === 'notification/create') {
      if (typeof f.text !== 'string' || f.text.trim() === '') return fail(400, 'text is required');
      const mgr = this.manager(a, f.manager_id);
      if (!mgr) return fail(400, 'manager_id is required and must be a manager of the account');
      this.seq += 1;
      a.notifications.push({ id: this.seq, managerId: mgr.id, text: f.text, atMs: now });
      return { status: 200, body: { result: 200, id: this.seq } };
    }
    if (r.method === 'POST' && r.path === 'call_history/create') {
      if (typeof f.phone !== 'string' || digits(f.phone) === '') return fail(400, 'phone is required');
      if (typeof f.start !== 'string' || !START.test(f.start)) return fail(400, 'start is required as Y-m-d H:i:s');
      if (f.direction !== '1' && f.direction !== '2') return fail(400, 'direction must be 1 (outgoing) or 2 (incoming)');
      if (f.duration !== undefined && (typeof f.duration !== 'string' || !/^\d+$/.test(f.duration))) return fail(400, 'duration must be whole seconds');
      let managerId: string | undefined;
      if (f.manager_id !== undefined) {
        const mgr = this.manager(a, f.manager_id);
        if (!mgr) return fail(400, 'manager_id must be a manager of the account');
        managerId = mgr.id;
      }
      this.seq += 1;
      a.history.push({
        id: this.seq, phone: f.phone, start: f.start, duration: Number(f.duration ?? 0), direction: f.direction === '1' ? 1 : 2,
        ...(managerId ? { managerId } : {}), ...(typeof f.record_link === 'string' && f.record_link ? { recordLink: f.record_link } : {}), atMs: now,
      });
      return { status: 200, body: { result: 200, id: this.seq } };
    }
    return fail(404, `Unknown method ${r.method} ${r.path}`);
  }

  screens(only?: string, now = Date.now()): AccountScreens[] {
    return [...this.accountsByName.values()].filter((a) => only === undefined || a.name === only).sort((x, y) => x.name.localeCompare(y.name)).map((a) => {
      const managers = [...a.managers].sort((x, y) => Number(x.id) - Number(y.id)).map((mg): ManagerScreen => {
        const mine = a.notifications.filter((n) => n.managerId === mg.id);
        const onScreen = mine.filter((n) => now - n.atMs < NOTIFICATION_ON_SCREEN_MS);
        return {
          id: mg.id, name: mg.name, extension: mg.extension ?? null,
          popups: onScreen.map((n) => ({
            key: String(n.id), direction: n.text.startsWith('Исходящий') ? 'out' as const : 'in' as const,
            phone: /\+?\d{5,}/.exec(n.text)?.[0] ?? '', title: n.text, sinceMs: n.atMs,
          })),
          recent: mine.filter((n) => now - n.atMs >= NOTIFICATION_ON_SCREEN_MS).slice(-5).reverse().map((n) => n.text),
        };
      });
      const history = [...a.history].reverse().map((h) => {
        const mg = a.managers.find((x) => x.id === h.managerId);
        return {
          key: String(h.id), date: h.start, direction: h.direction === 1 ? 'out' as const : 'in' as const, phone: h.phone,
          manager: mg ? `${mg.name} (${mg.id})` : '', result: h.duration > 0 ? 'разговор' : 'без разговора', durationSec: h.duration,
          ...(h.recordLink ? { recordUrl: h.recordLink } : {}),
        };
      });
      return { account: a.name, managers, history };
    });
  }

  protected clearState(): void {
    this.accountsByName.clear();
    this.seq = 0;
  }
}
