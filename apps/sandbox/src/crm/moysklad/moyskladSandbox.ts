/**
 * The sandbox MoySklad: Phone API 1.0 (Lognex-Phone-Auth-Token; 100 requests per 5 s per key, 429
 * with X-Lognex-Retry-After in ms) and the JSON API 1.2 counterparty search (Bearer; gzip required;
 * 45 per 3 s). An account is the path segment after /ms/; a request's key binds an account made on
 * first sight, a different key later is refused. Faults first, then the key, the limit, the method.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxAnswer } from '../common/answer.js';
import { DOWN_PAGE, type Injected } from '../common/faults.js';
import { KeyedLimiter } from '../common/limiter.js';
import { CrmSandboxBase } from '../common/sandboxBase.js';
import type { AccountScreens, ManagerScreen } from '../common/screens.js';
import { createCall, listEmployees, msError, postEvent, updateCall, type PhoneCtx } from './phoneApi.js';
import { counterpartyByPhone, digits, newAccount, type MsAccount } from './state.js';

export interface MsRequest {
  account: string;
  api: 'phone' | 'remap';
  method: string;
  /** After /api/phone/1.0/ or /api/remap/1.2/. */
  path: string;
  headers: { phoneKey?: string; authorization?: string; acceptEncoding?: string; contentType?: string };
  query: Record<string, unknown>;
  /** Parsed JSON body; null when none or not JSON. */
  body: unknown;
  /** http://host/ms/<account>/api */
  apiBase: string;
}

export const MS_SANDBOX_LIMIT = { requests: 100, perMs: 5_000 };
const REMAP_LIMIT = { requests: 45, perMs: 3_000 };

function faultAnswer(f: NonNullable<Injected>): SandboxAnswer {
  switch (f.kind) {
    case 'down': return { status: 503, body: DOWN_PAGE, html: true };
    case '401': return msError(401, 'Ошибка аутентификации: Неправильный пароль или имя пользователя или ключ авторизации', 1056);
    case '500': return msError(500, 'Внутренняя ошибка сервера', 1000);
    case '429': return { ...msError(429, 'Превышено ограничение на количество запросов в единицу времени', 1049), headers: { 'Retry-After': String(f.retryAfterSec), 'X-Lognex-Retry-After': String(f.retryAfterSec * 1000) } };
    case '503': return { ...msError(503, 'Сервис временно недоступен', 1073), headers: { 'Retry-After': String(f.retryAfterSec) } };
  }
}

export class MoyskladSandbox extends CrmSandboxBase {
  readonly accountsByName = new Map<string, MsAccount>();
  private readonly remapLimiter = new KeyedLimiter({ ...REMAP_LIMIT });

  constructor(rule = MS_SANDBOX_LIMIT) {
    super('moysklad', rule);
  }

  private account(name: string): MsAccount {
    let a = this.accountsByName.get(name);
    if (!a) {
      a = newAccount(name);
      this.accountsByName.set(name, a);
    }
    return a;
  }

  setup(b: Record<string, unknown>): unknown {
    if (typeof b.name !== 'string' || !/^[\w.-]+$/.test(b.name)) return 'name (letters, digits, . _ -) is required';
    const employees = Array.isArray(b.employees) ? b.employees as { id?: string; name?: string; extension?: string }[] : [];
    const parties = Array.isArray(b.counterparties) ? b.counterparties as { id?: string; name?: string; phone?: string; email?: string; ownerExtension?: string }[] : [];
    const a = newAccount(b.name, {
      phoneKey: typeof b.phoneKey === 'string' ? b.phoneKey : null, jsonToken: typeof b.jsonToken === 'string' ? b.jsonToken : null,
      autoEmployees: b.autoEmployees !== false,
      employees: employees.filter((e) => e.extension).map((e) => ({ id: e.id ?? randomUUID(), name: e.name ?? `Сотрудник ${e.extension}`, extension: String(e.extension) })),
    });
    a.counterparties = parties.filter((c) => c.name && c.phone).map((c) => ({
      id: c.id ?? randomUUID(), name: c.name!, phone: c.phone!, ...(c.email ? { email: c.email } : {}),
      ...(c.ownerExtension ? { ownerId: a.employees.find((e) => e.extension === c.ownerExtension)?.id } : {}),
    }));
    this.accountsByName.set(a.name, a);
    return { name: a.name, employees: a.employees, counterparties: a.counterparties.length };
  }

  accounts(): unknown[] {
    return [...this.accountsByName.values()].map((a) => ({
      name: a.name, bound: a.phoneKey !== null, employees: a.employees.length, counterparties: a.counterparties.length, calls: a.calls.length,
    }));
  }

  async handle(r: MsRequest, now: () => number = Date.now): Promise<SandboxAnswer> {
    const started = now();
    const injected = await this.injected(r.account);
    let auth: 'ok' | 'missing' | 'wrong' = 'ok';
    const answer = ((): SandboxAnswer => {
      if (injected) return faultAnswer(injected);
      const a = this.account(r.account);
      const given = r.api === 'phone' ? r.headers.phoneKey : /^Bearer (.+)$/i.exec(r.headers.authorization ?? '')?.[1];
      if (!given) {
        auth = 'missing';
        return msError(401, 'Ошибка аутентификации: не указан ключ авторизации', 1056);
      }
      const field = r.api === 'phone' ? 'phoneKey' : 'jsonToken';
      if (a[field] === null) a[field] = given;
      if (a[field] !== given) {
        auth = 'wrong';
        return msError(401, 'Ошибка аутентификации: Неправильный ключ авторизации', 1056);
      }
      const wait = (r.api === 'phone' ? this.limiter : this.remapLimiter).take(`${a.name}:${given}`, now());
      if (wait > 0) {
        return { ...msError(429, 'Превышено ограничение на количество запросов в единицу времени', 1049), headers: { 'X-Lognex-Retry-After': String(wait), 'X-Lognex-Retry-TimeInterval': String(r.api === 'phone' ? this.limiter.rule.perMs : REMAP_LIMIT.perMs) } };
      }
      return r.api === 'phone' ? this.phone(r, a, now()) : this.remap(r, a);
    })();
    this.log.record({
      atMs: started, account: r.account, method: r.method, path: `${r.api}/${r.path}`, status: answer.status, auth,
      ...(r.headers.contentType ? { contentType: r.headers.contentType } : {}),
      params: r.body ?? r.query, answer: answer.html ? '(html page)' : answer.body,
      ...(injected ? { fault: injected.kind } : answer.status === 429 ? { fault: 'limit' } : {}),
    });
    return answer;
  }

  private phone(r: MsRequest, a: MsAccount, now: number): SandboxAnswer {
    const ctx: PhoneCtx = { account: a, apiBase: r.apiBase, now };
    const body = r.body;
    const write = r.method === 'POST' || r.method === 'PUT';
    if (write && (!/application\/json/i.test(r.headers.contentType ?? '') || typeof body !== 'object' || body === null || Array.isArray(body))) {
      return msError(400, 'Входящий запрос не соответствует формату JSON', 2001);
    }
    const b = body as Record<string, unknown>;
    const p = r.path.replace(/\/+$/, '');
    let m: RegExpExecArray | null;
    if (r.method === 'POST' && p === 'call') return createCall(ctx, b);
    if (r.method === 'PUT' && (m = /^call\/(extid\/)?([^/]+)$/.exec(p))) return updateCall(ctx, m[1] ? 'extid' : 'id', decodeURIComponent(m[2]!), b);
    if (r.method === 'POST' && (m = /^call\/(extid\/)?([^/]+)\/event$/.exec(p))) return postEvent(ctx, m[1] ? 'extid' : 'id', decodeURIComponent(m[2]!), b);
    if (r.method === 'GET' && p === 'employee') return listEmployees(ctx, typeof r.query.filter === 'string' ? r.query.filter : undefined);
    return msError(404, `Неизвестный ресурс: ${r.method} ${p}`, 1039);
  }

  private remap(r: MsRequest, a: MsAccount): SandboxAnswer {
    if (!/gzip/i.test(r.headers.acceptEncoding ?? '')) return msError(415, 'Запрос должен содержать заголовок Accept-Encoding: gzip', 1062);
    if (r.method !== 'GET' || r.path.replace(/\/+$/, '') !== 'entity/counterparty') return msError(404, `Неизвестный ресурс: ${r.method} ${r.path}`, 1039);
    const search = typeof r.query.search === 'string' ? r.query.search.trim() : '';
    const limit = typeof r.query.limit === 'string' && /^\d+$/.test(r.query.limit) ? Number(r.query.limit) : 1000;
    const rows = (search ? a.counterparties.filter((c) => (digits(search).length >= 5 ? counterpartyByPhone({ ...a, counterparties: [c] }, search) : c.name.toLowerCase().includes(search.toLowerCase()))) : a.counterparties).slice(0, limit);
    const href = (type: string, id: string): Record<string, unknown> => ({ meta: { href: `${r.apiBase}/remap/1.2/entity/${type}/${id}`, type, mediaType: 'application/json' } });
    return {
      status: 200,
      body: {
        meta: { href: `${r.apiBase}/remap/1.2/entity/counterparty`, type: 'counterparty', mediaType: 'application/json', size: rows.length, limit, offset: 0 },
        rows: rows.map((c) => ({ ...href('counterparty', c.id), id: c.id, name: c.name, phone: c.phone, ...(c.email ? { email: c.email } : {}), ...(c.ownerId ? { owner: href('employee', c.ownerId) } : {}) })),
      },
    };
  }

  screens(only?: string): AccountScreens[] {
    return [...this.accountsByName.values()].filter((a) => only === undefined || a.name === only).sort((x, y) => x.name.localeCompare(y.name)).map((a) => {
      const managers = [...a.employees].sort((x, y) => x.extension.localeCompare(y.extension, 'en', { numeric: true })).map((e): ManagerScreen => ({
        id: e.id, name: e.name, extension: e.extension,
        popups: a.calls.flatMap((c) => {
          const card = c.cards.get(e.extension);
          if (!card?.visible) return [];
          const party = counterpartyByPhone(a, c.number);
          return [{
            key: c.externalId, direction: c.isIncoming ? 'in' as const : 'out' as const, phone: c.number,
            title: `${c.isIncoming ? 'Входящий' : 'Исходящий'} звонок ${c.number}`, ...(party ? { detail: party.name } : {}), sinceMs: card.sinceMs,
          }];
        }),
        recent: a.hidden.filter((h) => h.extension === e.extension).slice(-5).reverse().map((h) => `${h.number} (hidden)`),
      }));
      const history = a.calls.filter((c) => c.endTime !== undefined || c.duration !== undefined).reverse().map((c) => {
        const emp = a.employees.find((e) => e.id === c.employeeId) ?? a.employees.find((e) => e.extension === c.extension);
        return {
          key: c.externalId, date: c.startTime, direction: c.isIncoming ? 'in' as const : 'out' as const, phone: c.number,
          manager: emp ? `${emp.name} (${emp.extension})` : c.extension ?? '', result: c.comment ?? ((c.duration ?? 0) > 0 ? 'Разговор' : 'Пропущенный'),
          ...(c.duration !== undefined ? { durationSec: Math.round(c.duration / 1000) } : {}), ...(c.recordUrl[0] ? { recordUrl: c.recordUrl[0] } : {}),
        };
      });
      return { account: a.name, managers, history };
    });
  }

  protected clearState(): void {
    this.accountsByName.clear();
    this.remapLimiter.reset();
  }
}
