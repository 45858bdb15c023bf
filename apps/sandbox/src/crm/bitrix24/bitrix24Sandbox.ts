/**
 * The sandbox Bitrix24: inbound-webhook REST (POST /rest/<user id>/<code>/<method>[.json], JSON, form
 * or query parameters) for the telephony.externalCall.* methods, under /b24/<portal>/. The webhook
 * binds a portal made on first sight; another code later is 401 INVALID_CREDENTIALS. Requests drain
 * from a leaky bucket per portal (2 a second, 50 deep) and overflow as 503 QUERY_LIMIT_EXCEEDED.
 */
import type { SandboxAnswer } from '../common/answer.js';
import { DOWN_PAGE, type Injected } from '../common/faults.js';
import { CrmSandboxBase } from '../common/sandboxBase.js';
import type { AccountScreens, ManagerScreen } from '../common/screens.js';
import { b24Error, METHODS } from './methods.js';
import { entitiesByPhone, newPortal, type B24Entity, type B24Portal, type B24User } from './state.js';

export interface B24Request {
  portal: string;
  webhookUser: string;
  code: string;
  /** The REST method, as written ("telephony.externalCall.register"). */
  method: string;
  httpMethod: string;
  contentType?: string;
  params: Record<string, unknown>;
}

export const B24_SANDBOX_LIMIT = { requests: 2, perMs: 1_000, burst: 50 };

const STATUS_TEXT: Record<string, string> = { 200: 'успешный звонок', 304: 'пропущенный', 486: 'занято', 603: 'отклонён' };

function faultAnswer(f: NonNullable<Injected>): SandboxAnswer {
  switch (f.kind) {
    case 'down': return { status: 503, body: DOWN_PAGE, html: true };
    case '401': return b24Error(401, 'INVALID_CREDENTIALS', 'Invalid request credentials');
    case '500': return b24Error(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    case '429': return { ...b24Error(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit'), headers: { 'Retry-After': String(f.retryAfterSec) } };
    case '503': return { ...b24Error(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'), headers: { 'Retry-After': String(f.retryAfterSec) } };
  }
}

export class Bitrix24Sandbox extends CrmSandboxBase {
  readonly portals = new Map<string, B24Portal>();

  constructor(rule = B24_SANDBOX_LIMIT) {
    super('bitrix24', rule);
  }

  private portal(name: string): B24Portal {
    let p = this.portals.get(name);
    if (!p) {
      p = newPortal(name);
      this.portals.set(name, p);
    }
    return p;
  }

  setup(b: Record<string, unknown>): unknown {
    if (typeof b.name !== 'string' || !/^[\w.-]+$/.test(b.name)) return 'name (letters, digits, . _ -) is required';
    const users = Array.isArray(b.users) ? (b.users as B24User[]).filter((u) => Number.isInteger(u.id)) : [];
    const entities = Array.isArray(b.entities) ? (b.entities as B24Entity[]).filter((e) => e.name && e.phone) : [];
    const webhook = typeof b.webhookUser === 'string' && typeof b.code === 'string' ? { userId: b.webhookUser, code: b.code } : null;
    const p = newPortal(b.name, { webhook, autoUsers: b.autoUsers !== false, users, entities: entities.map((e, i) => ({ ...e, id: e.id ?? 100 + i, type: e.type ?? 'CONTACT' })) });
    this.portals.set(p.name, p);
    return { name: p.name, users: p.users.length, entities: p.entities.length };
  }

  accounts(): unknown[] {
    return [...this.portals.values()].map((p) => ({ name: p.name, bound: p.webhook !== null, users: p.users.length, entities: p.entities.length, calls: p.calls.length }));
  }

  async handle(r: B24Request, now: () => number = Date.now): Promise<SandboxAnswer> {
    const started = now();
    const injected = await this.injected(r.portal);
    let auth: 'ok' | 'wrong' = 'ok';
    const answer = ((): SandboxAnswer => {
      if (injected) return faultAnswer(injected);
      const p = this.portal(r.portal);
      p.webhook ??= { userId: r.webhookUser, code: r.code };
      if (p.webhook.userId !== r.webhookUser || p.webhook.code !== r.code) {
        auth = 'wrong';
        return b24Error(401, 'INVALID_CREDENTIALS', 'Invalid request credentials');
      }
      const wait = this.limiter.take(p.name, now());
      if (wait > 0) return b24Error(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');
      const method = METHODS[r.method.toLowerCase()];
      if (!method) return b24Error(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
      const out = method(p, r.params, now());
      if (out.status !== 200) return out;
      const t = now() / 1000;
      return { status: 200, body: { result: out.body, time: { start: started / 1000, finish: t, duration: t - started / 1000, processing: 0, date_start: new Date(started).toISOString(), date_finish: new Date(now()).toISOString() } } };
    })();
    this.log.record({
      atMs: started, account: r.portal, method: r.httpMethod, path: r.method, status: answer.status, auth,
      ...(r.contentType ? { contentType: r.contentType } : {}), params: r.params, answer: answer.html ? '(html page)' : answer.body,
      ...(injected ? { fault: injected.kind } : (answer.body as { error?: string } | null)?.error === 'QUERY_LIMIT_EXCEEDED' ? { fault: 'limit' } : {}),
    });
    return answer;
  }

  screens(only?: string): AccountScreens[] {
    return [...this.portals.values()].filter((p) => only === undefined || p.name === only).sort((x, y) => x.name.localeCompare(y.name)).map((p) => {
      const label = (c: { type: number; phone: string }): string => `${c.type === 1 ? 'Исходящий' : 'Входящий'} звонок ${c.phone}`;
      const managers = [...p.users].sort((x, y) => x.id - y.id).map((u): ManagerScreen => ({
        id: String(u.id), name: u.name, extension: u.innerPhone ?? null,
        popups: p.calls.flatMap((c) => {
          const since = c.shownTo.get(u.id);
          if (since === undefined) return [];
          const who = entitiesByPhone(p, c.phone)[0];
          return [{ key: c.callId, direction: c.type === 1 ? 'out' as const : 'in' as const, phone: c.phone, title: label(c), ...(who ? { detail: who.name } : {}), sinceMs: since }];
        }),
        recent: p.hidden.filter((h) => h.userId === u.id).slice(-5).reverse().map((h) => `${h.phone} (hidden)`),
      }));
      const history = p.calls.filter((c) => c.finished).reverse().map((c) => {
        const f = c.finished!;
        const u = p.users.find((x) => x.id === f.userId);
        return {
          key: c.callId, date: c.startDate, direction: c.type === 1 ? 'out' as const : 'in' as const, phone: c.phone,
          manager: u ? `${u.name}${u.innerPhone ? ` (${u.innerPhone})` : ''}` : String(f.userId), result: `${f.statusCode} ${STATUS_TEXT[f.statusCode] ?? ''}`.trim(),
          durationSec: f.duration, ...(f.recordUrl ? { recordUrl: f.recordUrl } : {}),
        };
      });
      return { account: p.name, managers, history };
    });
  }

  protected clearState(): void {
    this.portals.clear();
  }
}
