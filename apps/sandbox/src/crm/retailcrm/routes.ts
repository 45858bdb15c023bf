/**
 * HTTP of the sandbox RetailCRM: the API v5 under /retailcrm/<account>/api/v5/ (so an integration's
 * `domain` is http://<sandbox>/retailcrm/<account>), and the admin API under /_sandbox/retailcrm
 * (accounts, faults, limits, reset, the request record, the managers' screens), and the page.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { addAdminCoreRoutes, bodyOf } from '../common/adminRoutes.js';
import { sendAnswer, unreadableBody } from '../common/answer.js';
import { parseLimits } from './limits.js';
import { retailCrmPage } from './page.js';
import type { AccountSetup, RetailCrmSandbox } from './retailCrmSandbox.js';
import { screensOf } from './screens.js';
import { clickToCall, clickToCallsOf, makeCallTarget } from './makeCall.js';
import { userName } from './methods.js';
import { fail, type Params } from './validate.js';

const API_PATH = /^\/retailcrm\/([\w.-]+)\/api\/v5\/(.+?)\/?$/;

/** `filter[name]=x` from a flat query becomes `{ filter: { name: x } }`, as RetailCRM (PHP) reads it. */
export function nestBrackets(flat: Record<string, unknown>): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(flat)) {
    const m = /^(\w+)\[(\w*)\]$/.exec(k);
    if (!m) {
      out[k] = v;
      continue;
    }
    const [, outer, inner] = m as unknown as [string, string, string];
    const holder = (typeof out[outer] === 'object' && out[outer] !== null ? out[outer] : {}) as Record<string, unknown>;
    holder[inner] = v;
    out[outer] = holder;
  }
  return out;
}

export function retailCrmApiRoutes(sandbox: RetailCrmSandbox): Router {
  const router = Router();
  const answer = (req: Request, res: Response, next: NextFunction): void => {
    const [account = '', path = ''] = [(req.params as Record<string, string>)[0], (req.params as Record<string, string>)[1]];
    const body: unknown = req.body;
    const form = body && typeof body === 'object' && !Array.isArray(body) ? body as Params : {};
    const params = { ...nestBrackets(req.query as Record<string, unknown>), ...form };
    const header = req.get('x-api-key');
    const apiKey = header ?? (typeof params.apiKey === 'string' ? params.apiKey : undefined);
    sandbox.handle({
      account, method: req.method, path, apiKey, contentType: req.get('content-type'), params,
      baseUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}/retailcrm/${account}`,
    }).then((a) => sendAnswer(res, a)).catch(next);
  };
  // extended: a nested form value (event[phone]=…) reaches the method as an object, which RetailCRM refuses.
  router.all(API_PATH, express.urlencoded({ extended: true, limit: '2mb' }), answer);
  router.use(API_PATH, unreadableBody(fail(400, 'Invalid request body')));
  return router;
}

export function retailCrmAdminRoutes(sandbox: RetailCrmSandbox): Router {
  const router = Router();
  router.use('/_sandbox/retailcrm', express.json({ limit: '1mb' }));

  router.get('/retailcrm', (_req, res) => { res.type('html').send(retailCrmPage()); });

  router.post('/_sandbox/retailcrm/accounts', (req, res) => {
    const b = bodyOf(req);
    if (typeof b.name !== 'string' || !/^[\w.-]+$/.test(b.name) || typeof b.apiKey !== 'string' || !b.apiKey) {
      res.status(400).json({ error: 'name (letters, digits, . _ -) and apiKey are required' });
      return;
    }
    const a = sandbox.setup(b as unknown as AccountSetup);
    res.json({ name: a.name, users: a.users.size, customers: a.customers.length, codes: Object.fromEntries(a.codes) });
  });
  router.get('/_sandbox/retailcrm/accounts', (_req, res) => {
    res.json([...sandbox.state.accounts.values()].map((a) => ({
      name: a.name, bound: a.apiKey !== null, autoUsers: a.autoUsers, users: a.users.size, customers: a.customers.length,
      codes: Object.fromEntries(a.codes), modules: [...a.modules.keys()], history: a.history.size,
    })));
  });

  addAdminCoreRoutes(router, '/_sandbox/retailcrm', {
    faults: sandbox.faults,
    limits: { current: () => sandbox.limits.limits, parse: parseLimits, set: (next) => sandbox.limits.reset(next) },
    reset: () => sandbox.reset(),
    requests: (filter) => sandbox.state.requestLog(filter),
  });

  // Click-to-call as RetailCRM does it: {account, userId, phone} -> GET makeCallUrl (makeCall.ts).
  router.post('/_sandbox/retailcrm/make-call', (req, res, next) => {
    const b = bodyOf(req);
    const a = typeof b.account === 'string' ? sandbox.state.account(b.account) : undefined;
    const userId = Number(b.userId);
    const phone = typeof b.phone === 'string' ? b.phone.trim() : '';
    if (!a || !Number.isSafeInteger(userId) || !phone) {
      res.status(400).json({ error: 'account (an existing one), userId and phone are required' });
      return;
    }
    clickToCall(a, userId, phone).then((r) => {
      if (typeof r === 'string') res.status(409).json({ error: r });
      else res.json(r);
    }).catch(next);
  });
  // Per account: where "call" goes, the customers with their managers, and the calls made from the page.
  router.get('/_sandbox/retailcrm/click-to-call', (_req, res) => {
    res.json([...sandbox.state.accounts.values()].map((a) => ({
      account: a.name, target: makeCallTarget(a),
      managers: [...a.users.values()].map((u) => ({ userId: u.id, name: userName(u) })),
      customers: a.customers.map((c) => ({
        id: c.id, name: [c.lastName, c.firstName].filter(Boolean).join(' '), phone: c.phones[0]?.number ?? null, managerId: c.managerId ?? null,
      })),
      calls: clickToCallsOf(a).slice().reverse(),
    })));
  });

  router.get('/_sandbox/retailcrm/screens', (req, res) => {
    const only = typeof req.query.account === 'string' ? req.query.account : undefined;
    const accounts = [...sandbox.state.accounts.values()].filter((a) => only === undefined || a.name === only);
    res.json(accounts.sort((x, y) => x.name.localeCompare(y.name)).map((a) => screensOf(a)));
  });
  return router;
}
