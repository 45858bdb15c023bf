/**
 * The admin's actions (POST /retailcrm-admin/{enterprise}/api/…, JSON answers the page shows):
 * save the connection, test it, save the managers' extensions (then send them to RetailCRM),
 * register or refresh the module (a new accountUrl link, the old one revoked), delete the integration
 * (module deactivated, links revoked). Local writes commit before RetailCRM is called; RetailCRM's
 * answers and errors are passed on as they came.
 */
import type { Request, Response } from 'express';
import { AdminCrm, type CrmCallResult } from './crmCalls.js';
import { liveLink, moduleStateOf, normaliseDomain, type AdminDeps } from './deps.js';
import { planSave, readUserExtensions } from './extensions.js';
import { moduleSpec } from './moduleSpec.js';
import { moduleBodyOf } from './pages.js';
import type { AdminLocals } from './session.js';
import { SettingsRefused, type Settings } from './store.js';
import { linkClaimsOf, newLink, signLink } from './tokens.js';

export interface ActionAnswer {
  ok: boolean;
  message: string;
  details?: string[];
  crm?: CrmCallResult;
  /** The integrationModule sent (token masked), for the page to show. */
  sent?: unknown;
}

class PlanRefused extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
  }
}

const nowSec = (): number => Math.floor(Date.now() / 1000);
const bodyOf = (req: Request): Record<string, string> => (req.body && typeof req.body === 'object' ? req.body as Record<string, string> : {});
const localsOf = (res: Response): AdminLocals => res.locals.admin as AdminLocals;

function reply(res: Response, status: number, a: ActionAnswer): void {
  res.status(status).set('Cache-Control', 'no-store').json(a);
}

async function guarded(res: Response, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (err instanceof PlanRefused) return reply(res, 400, { ok: false, message: 'Не сохранено: назначения противоречат друг другу.', details: err.errors });
    if (err instanceof SettingsRefused) return reply(res, 400, { ok: false, message: err.message });
    throw err;
  }
}

export function adminActions(d: AdminDeps) {
  const urls = { publicBaseUrl: d.publicBaseUrl, code: d.moduleCode };

  /** Sends the whole module with these settings; `token` null = no link (a deactivation). */
  const sendModule = async (enterprise: string, settings: Settings, token: string | null, active: boolean, action: string): Promise<{ result: CrmCallResult; sent: unknown } | string> => {
    const s = AdminCrm.settings(settings);
    if (typeof s === 'string') return s;
    const result = await d.crm.editModule(enterprise, settings, s, moduleSpec(urls, enterprise, token, active), action, token);
    return { result, sent: moduleBodyOf(result.request) };
  };

  return {
    async connection(req: Request, res: Response): Promise<void> {
      const { enterprise } = localsOf(res);
      const b = bodyOf(req);
      const domain = normaliseDomain(b.domain ?? '');
      const key = (b.api_key ?? '').trim();
      const enabled = b.enabled === '1' || b.enabled === 'on' || b.enabled === 'true';
      await guarded(res, async () => {
        const { settings } = await d.store.update(enterprise.number, (cur) => ({
          next: { ...cur, domain, ...(key ? { api_key: key } : {}), enabled }, result: null,
        }));
        d.log.info({ enterprise: enterprise.number, enabled, keyChanged: key !== '' }, 'retailcrm admin: connection saved');
        reply(res, 200, { ok: true, message: `Сохранено: ${String(settings.domain)}, интеграция ${enabled ? 'включена' : 'выключена'}${key ? ', ключ заменён' : ''}.` });
      });
    },

    /** A real call with the form's values (blank key = the stored one), nothing saved. */
    async test(req: Request, res: Response): Promise<void> {
      const { enterprise } = localsOf(res);
      const b = bodyOf(req);
      const domain = normaliseDomain(b.domain ?? '');
      const key = (b.api_key ?? '').trim();
      const raw: Settings = { ...enterprise.retailcrm, ...(domain ? { domain } : {}), ...(key ? { api_key: key } : {}) };
      const s = AdminCrm.settings(raw);
      if (typeof s === 'string') return reply(res, 400, { ok: false, message: `Нечего проверять: ${s}` });
      const result = await d.crm.testConnection(enterprise.number, raw, s);
      const total = (result.answer as { pagination?: { totalCount?: unknown } } | undefined)?.pagination?.totalCount;
      reply(res, 200, {
        ok: result.ok, crm: result,
        message: result.ok ? `RetailCRM ответил: подключение работает${typeof total === 'number' ? `, пользователей: ${total}` : ''}.` : `RetailCRM: ${result.message}`,
      });
    },

    async extensions(req: Request, res: Response): Promise<void> {
      const { enterprise } = localsOf(res);
      const submitted: Record<string, string> = {};
      for (const [k, v] of Object.entries(bodyOf(req))) {
        const m = /^ext\[(.+)\]$/.exec(k);
        if (m) submitted[m[1]!] = String(v);
      }
      const allowed = new Set((await d.store.internalPhones(enterprise.number)).map((p) => p.number));
      await guarded(res, async () => {
        const { settings, result } = await d.store.update(enterprise.number, (cur) => {
          // Planned against the locked row: a save made meanwhile by someone else is not lost.
          const plan = planSave(readUserExtensions(cur.user_extensions), submitted, allowed);
          if (!plan.ok) throw new PlanRefused(plan.errors);
          return { next: { ...cur, user_extensions: plan.next }, result: { changed: plan.changed, freed: plan.freed } };
        });
        const details = [
          ...result.changed.map((c) => (c.extension ? `менеджер ${c.userId} → ${c.extension}` : `менеджер ${c.userId}: номер снят`)),
          ...result.freed.map((f) => `${f.extension} снят с менеджера ${f.userId} (теперь у ${f.to})`),
        ];
        d.log.info({ enterprise: enterprise.number, changed: result.changed.length, freed: result.freed.length }, 'retailcrm admin: extensions saved');
        const link = liveLink(settings);
        if (!link) {
          return reply(res, 200, { ok: true, details, message: `Сохранено (${result.changed.length} изм.). В RetailCRM не отправлено: модуль не зарегистрирован — зарегистрируйте его на вкладке «Подключение».` });
        }
        const token = await signLink(d.key, linkClaimsOf(enterprise.number, link));
        const sent = await sendModule(enterprise.number, settings, token, true, 'sync_extensions');
        if (typeof sent === 'string') return reply(res, 200, { ok: false, details, message: `Сохранено у нас, но в RetailCRM не отправлено: ${sent}` });
        if (sent.result.ok) await d.store.update(enterprise.number, (cur) => ({ next: { ...cur, last_sync: new Date().toISOString() }, result: null }));
        reply(res, 200, {
          ok: sent.result.ok, details, crm: sent.result, sent: sent.sent,
          message: sent.result.ok ? `Сохранено и отправлено в RetailCRM (additionalCodes).` : `Сохранено у нас, но RetailCRM не принял: ${sent.result.message}`,
        });
      });
    },

    async register(_req: Request, res: Response): Promise<void> {
      const { enterprise, session } = localsOf(res);
      const { link, claims } = newLink(enterprise.number, nowSec(), d.linkDays);
      const token = await signLink(d.key, claims);
      const sent = await sendModule(enterprise.number, enterprise.retailcrm, token, true, 'register_module');
      if (typeof sent === 'string') return reply(res, 400, { ok: false, message: `Сначала заполните подключение: ${sent}` });
      if (!sent.result.ok) {
        // Nothing changes here: the link RetailCRM already holds stays valid.
        return reply(res, 200, { ok: false, crm: sent.result, sent: sent.sent, message: `RetailCRM не принял модуль: ${sent.result.message}` });
      }
      await guarded(res, async () => {
        const registeredAt = new Date().toISOString();
        await d.store.update(enterprise.number, (cur) => ({
          next: { ...cur, account_link: link, module: { code: d.moduleCode, registered_at: registeredAt, active: true }, last_sync: registeredAt }, result: null,
        }));
        // The new link revokes the old one, and with it this session if it came from the old link: renew it.
        if (session.via === 'link') await d.sessions.open(res, { enterprise: enterprise.number, via: 'link', linkJti: link.jti, linkExp: link.expires_at });
        d.log.info({ enterprise: enterprise.number, code: d.moduleCode }, 'retailcrm admin: module registered, new account link issued');
        reply(res, 200, { ok: true, crm: sent.result, sent: sent.sent, message: `Модуль ${d.moduleCode} ${sent.result.httpStatus === 201 ? 'зарегистрирован' : 'обновлён'} (HTTP ${sent.result.httpStatus ?? '?'}). Прежние ссылки из RetailCRM отозваны.` });
      });
    },

    /** Deactivates the module in RetailCRM, then disables the integration here and revokes every link (even if RetailCRM refused). */
    async remove(_req: Request, res: Response): Promise<void> {
      const { enterprise, session } = localsOf(res);
      const wasRegistered = moduleStateOf(enterprise.retailcrm)?.active === true;
      const sent = wasRegistered ? await sendModule(enterprise.number, enterprise.retailcrm, null, false, 'delete_module') : null;
      await guarded(res, async () => {
        await d.store.update(enterprise.number, (cur) => {
          const next: Settings = { ...cur, enabled: false };
          delete next.account_link;
          const m = moduleStateOf(cur);
          if (m) next.module = { ...m, active: false, deactivated_at: new Date().toISOString() };
          return { next, result: null };
        });
        if (session.via === 'link') d.sessions.close(res);
        d.log.info({ enterprise: enterprise.number }, 'retailcrm admin: integration deleted, account links revoked');
        const crmPart = sent === null ? 'Модуль в RetailCRM не был зарегистрирован.'
          : typeof sent === 'string' ? `Модуль в RetailCRM не деактивирован: ${sent}`
            : sent.result.ok ? 'Модуль в RetailCRM деактивирован.' : `RetailCRM не деактивировал модуль: ${sent.result.message} — повторите позже или отключите его в RetailCRM.`;
        reply(res, 200, {
          ok: sent === null || (typeof sent !== 'string' && sent.result.ok),
          message: `Интеграция удалена: события больше не отправляются, ссылки из RetailCRM отозваны. ${crmPart}`,
          ...(sent && typeof sent !== 'string' ? { crm: sent.result, sent: sent.sent } : {}),
        });
      });
    },
  };
}
