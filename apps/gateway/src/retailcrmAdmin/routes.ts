/**
 * /retailcrm-admin/: the entry RetailCRM's accountUrl opens (?token=… → a session cookie → the
 * enterprise's pages, the token gone from the address bar), the operator login (ADMIN_USER), the
 * pages (connection and module, managers, log) and the actions behind them, and the static files.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { basicAuth } from '../admin/basicAuth.js';
import { adminActions } from './actions.js';
import { APP_CSS, APP_JS } from './assets.js';
import { liveLink, maskKey, moduleStateOf, type AdminDeps } from './deps.js';
import { importable, readUserExtensions, additionalCodesOf, withImported, type AdditionalCode } from './extensions.js';
import type { Frame, Tab } from './layout.js';
import { accountUrl, ADMIN_PATH, CHANGE_USER_STATUS_PATH, LOGO_SVG, MAKE_CALL_PATH } from './moduleSpec.js';
import { connectionPage, enterprisesPage, logsPage, managerRows, managersPage } from './pages.js';
import { AdminCrm, type CrmCallResult, type RetailCrmUser } from './crmCalls.js';
import { csrfCheck, csrfOk, CSRF_REFUSED, deny, type AdminLocals } from './session.js';
import type { LogFilter } from './store.js';
import { readAccountLink, verifyLink } from './tokens.js';

const LOG_PAGE = 100;
const iso = (sec: number): string => new Date(sec * 1000).toISOString();

/** Pages never cached, never framed, never leaking the address (the entry URL carries a token) to another site. */
function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  next();
}

function frameOf(res: Response, tab: Tab, title: string): Frame {
  const { session, enterprise } = res.locals.admin as AdminLocals;
  return {
    title: `${title} — ${enterprise.name} RetailCRM`, tab, csrf: session.csrf,
    enterprise: { number: enterprise.number, name: enterprise.name },
    who: session.via === 'link' ? 'вход по ссылке из RetailCRM' : 'оператор',
  };
}

const queryString = (req: Request, name: string): string | undefined => {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
};

function logFilter(req: Request): LogFilter {
  const q = (name: string): string | undefined => {
    const v = queryString(req, name)?.trim();
    return v ? v.slice(0, 100) : undefined;
  };
  const day = (name: string, plus = 0): Date | undefined => {
    const v = q(name);
    return v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? new Date(Date.parse(v) + plus) : undefined;
  };
  // This is RetailCRM's admin: its own rows unless the filter says otherwise ('' = every integration).
  const integration = queryString(req, 'integration') === undefined ? 'retailcrm' : q('integration');
  const before = q('before');
  const f: LogFilter = { limit: LOG_PAGE };
  const from = day('from');
  const to = day('to', 86_400_000);
  const [event, status, call] = [q('event'), q('status'), q('call')];
  if (integration) f.integration = integration;
  if (event) f.event = event;
  if (status) f.status = status;
  if (call) f.call = call;
  if (from) f.from = from;
  if (to) f.to = to;
  if (before && /^\d{1,19}$/.test(before)) f.before = before;
  return f;
}

export function retailcrmAdminRouter(d: AdminDeps): Router {
  const router = Router();
  const act = adminActions(d);
  const publicHost = new URL(d.publicBaseUrl).host;
  router.use(securityHeaders);

  router.get('/logo.svg', (_req, res) => { res.set('Cache-Control', 'public, max-age=86400').type('image/svg+xml').send(LOGO_SVG); });
  router.get('/app.css', (_req, res) => { res.set('Cache-Control', 'public, max-age=300').type('text/css').send(APP_CSS); });
  router.get('/app.js', (_req, res) => { res.set('Cache-Control', 'public, max-age=300').type('text/javascript').send(APP_JS); });

  // The accountUrl link: check it, turn it into a session, and take the token out of the address bar.
  router.get('/', async (req, res) => {
    const token = queryString(req, 'token');
    if (token !== undefined) {
      const v = await verifyLink(d.key, token);
      if (!v.ok) return deny(req, res, v.reason);
      const asked = queryString(req, 'enterprise_number');
      if (asked !== undefined && asked !== v.claims.enterprise) return deny(req, res, 'other-enterprise');
      const enterprise = await d.store.enterprise(v.claims.enterprise);
      const current = enterprise ? liveLink(enterprise.retailcrm) : null;
      if (!current || current.jti !== v.claims.jti) return deny(req, res, 'revoked');
      await d.sessions.open(res, { enterprise: v.claims.enterprise, via: 'link', linkJti: v.claims.jti, linkExp: v.claims.exp });
      return res.redirect(303, `${ADMIN_PATH}/${encodeURIComponent(v.claims.enterprise)}/`);
    }
    const s = await d.sessions.read(req);
    if (!s.ok) return deny(req, res, s.denial);
    if (s.claims.via === 'link') return res.redirect(303, `${ADMIN_PATH}/${encodeURIComponent(s.claims.enterprise)}/`);
    res.type('html').send(enterprisesPage({ title: 'RetailCRM — предприятия', csrf: s.claims.csrf, who: 'оператор' }, await d.store.enterprises()));
  });

  router.get('/login', basicAuth(d.adminUser, d.adminPassword, 'callpipe retailcrm admin'), async (req, res) => {
    await d.sessions.open(res, { enterprise: '*', via: 'operator' });
    d.log.info({ user: d.adminUser }, 'retailcrm admin: operator signed in');
    const next = queryString(req, 'next');
    res.redirect(303, next && /^\/retailcrm-admin\/[\w-]{1,10}\/?$/.test(next) ? next : `${ADMIN_PATH}/`);
  });

  router.post('/logout', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const s = await d.sessions.read(req);
    if (s.ok && !csrfOk(req, s.claims, publicHost)) {
      res.status(403).json({ ok: false, message: CSRF_REFUSED });
      return;
    }
    d.sessions.close(res);
    res.redirect(303, `${ADMIN_PATH}/`);
  });

  const perEnterprise = Router({ mergeParams: true });
  router.use('/:enterprise', d.sessions.forEnterprise(), perEnterprise);

  perEnterprise.get('/', async (_req, res) => {
    const { enterprise } = res.locals.admin as AdminLocals;
    const s = enterprise.retailcrm;
    const m = moduleStateOf(s);
    const link = readAccountLink(s.account_link);
    const [lastRegistration] = await d.store.logs(enterprise.number, { integration: 'retailcrm', event: 'register_module', limit: 1 });
    res.type('html').send(connectionPage({
      frame: frameOf(res, 'connection', 'Подключение'),
      domain: typeof s.domain === 'string' ? s.domain : '',
      maskedKey: maskKey(s.api_key),
      enabled: s.enabled === true,
      moduleCode: d.moduleCode,
      registeredAt: m?.registered_at ?? null,
      moduleActive: m?.active === true,
      linkExpiresAt: link && m?.active ? iso(link.expires_at) : null,
      lastSync: typeof s.last_sync === 'string' ? s.last_sync : null,
      urls: {
        baseUrl: d.publicBaseUrl, makeCallUrl: `${d.publicBaseUrl}${MAKE_CALL_PATH}`,
        changeUserStatusUrl: `${d.publicBaseUrl}${CHANGE_USER_STATUS_PATH}`, accountUrl: accountUrl(d.publicBaseUrl, enterprise.number, null),
      },
      lastRegistration: lastRegistration ?? null,
    }));
  });

  // RetailCRM's users and the module's codes are read live; codes only RetailCRM has are imported on the way.
  perEnterprise.get('/managers', async (_req, res) => {
    const { enterprise } = res.locals.admin as AdminLocals;
    let stored = enterprise.retailcrm;
    const settings = AdminCrm.settings(stored);
    let problem: CrmCallResult | string | null = null;
    let users: RetailCrmUser[] = [];
    let imported: AdditionalCode[] = [];
    if (typeof settings === 'string') problem = `Подключение не настроено (${settings}): заполните его на вкладке «Подключение».`;
    else {
      const read = await d.crm.users(enterprise.number, stored, settings);
      users = read.users;
      if (!read.result.ok) problem = read.result;
      const mod = await d.crm.module(enterprise.number, stored, settings, d.moduleCode);
      const remote = additionalCodesOf(mod.module);
      if (importable(readUserExtensions(stored.user_extensions), remote).length) {
        const saved = await d.store.update(enterprise.number, (cur) => {
          const codes = importable(readUserExtensions(cur.user_extensions), remote);
          return { next: { ...cur, user_extensions: withImported(readUserExtensions(cur.user_extensions), codes) }, result: codes };
        });
        stored = saved.settings;
        imported = saved.result;
        d.log.info({ enterprise: enterprise.number, imported: imported.length }, 'retailcrm admin: extensions imported from RetailCRM');
      }
    }
    const mapping = readUserExtensions(stored.user_extensions);
    res.type('html').send(managersPage({
      frame: frameOf(res, 'managers', 'Менеджеры'), problem, rows: managerRows(users, mapping),
      phones: await d.store.internalPhones(enterprise.number), mapping, imported, registered: liveLink(stored) !== null,
    }));
  });

  perEnterprise.get('/logs', async (req, res) => {
    const { enterprise } = res.locals.admin as AdminLocals;
    const filter = logFilter(req);
    const [rows, facets] = await Promise.all([d.store.logs(enterprise.number, filter), d.store.logFacets(enterprise.number)]);
    let older: string | null = null;
    if (rows.length === filter.limit) {
      const q = new URLSearchParams(Object.entries(req.query as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'before'));
      q.set('before', rows[rows.length - 1]!.id);
      older = q.toString();
    }
    res.type('html').send(logsPage({ frame: frameOf(res, 'logs', 'Журнал'), filter, facets, rows, older }));
  });

  const post = Router({ mergeParams: true });
  post.use(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 5000 }), csrfCheck(publicHost));
  post.post('/connection', act.connection);
  post.post('/test', act.test);
  post.post('/extensions', act.extensions);
  post.post('/register', act.register);
  post.post('/delete', act.remove);
  perEnterprise.use('/api', post);
  // Anything else under an enterprise: JSON 404 for the API, a page otherwise.
  perEnterprise.use((req, res) => {
    res.status(404);
    if (req.method !== 'GET') res.json({ ok: false, message: `no action ${req.method} ${req.path}` });
    else res.type('text/plain').send('Нет такой страницы.\n');
  });
  return router;
}
