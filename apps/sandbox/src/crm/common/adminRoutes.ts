/**
 * The admin API and page of a sandbox CRM under /_sandbox/<slug> and /<slug>: set up accounts, set
 * faults and limits, reset, read back the requests and what each manager sees.
 */
import express, { Router, type Request } from 'express';
import { NO_FAULTS, parseFaults, type CrmFaults } from './faults.js';
import { parseLimit } from './limiter.js';
import { crmPage, type PageLabels } from './page.js';
import type { CrmSandboxBase } from './sandboxBase.js';

const optionalInt = (v: unknown): number | undefined => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** A JSON admin body as an object ({} for anything else). */
export function bodyOf(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? b as Record<string, unknown> : {};
}

/** What the admin routes every sandbox CRM has (faults, limits, reset, requests) work on. */
export interface AdminCore<L> {
  faults: Map<string, CrmFaults>;
  limits: { current: () => L; parse: (body: unknown, current: L) => L | string; set: (next: L) => void };
  reset: () => void;
  requests: (filter: { account?: string; path?: string; since?: number }) => unknown[];
}

/** Faults, limits, reset and the request record under `base`; the JSON body parser is the caller's. */
export function addAdminCoreRoutes<L>(router: Router, base: string, core: AdminCore<L>): void {
  router.get(`${base}/faults`, (_req, res) => { res.json(Object.fromEntries(core.faults)); });
  router.post(`${base}/faults`, (req, res) => {
    const b = bodyOf(req);
    const account = typeof b.account === 'string' && b.account ? b.account : '*';
    const next = parseFaults(b, core.faults.get(account) ?? { ...NO_FAULTS });
    if (typeof next === 'string') {
      res.status(400).json({ error: next });
      return;
    }
    core.faults.set(account, next);
    res.json({ account, ...next });
  });

  router.get(`${base}/limits`, (_req, res) => { res.json(core.limits.current()); });
  router.post(`${base}/limits`, (req, res) => {
    const next = core.limits.parse(req.body, core.limits.current());
    if (typeof next === 'string') {
      res.status(400).json({ error: next });
      return;
    }
    core.limits.set(next);
    res.json(next);
  });

  router.post(`${base}/reset`, (_req, res) => {
    core.reset();
    res.json({ ok: true });
  });

  router.get(`${base}/requests`, (req, res) => {
    const q = req.query as Record<string, unknown>;
    const since = optionalInt(q.since);
    const list = core.requests({
      ...(typeof q.account === 'string' ? { account: q.account } : {}),
      ...(typeof q.path === 'string' ? { path: q.path } : {}),
      ...(since === undefined ? {} : { since }),
    });
    const limit = optionalInt(q.limit);
    res.json(limit ? list.slice(-limit) : list);
  });
}

export function crmAdminRoutes(sandbox: CrmSandboxBase, labels: Omit<PageLabels, 'slug'>): Router {
  const slug = sandbox.slug;
  const base = `/_sandbox/${slug}`;
  const router = Router();
  router.use(base, express.json({ limit: '1mb' }));

  const html = crmPage({ ...labels, slug });
  router.get(`/${slug}`, (_req, res) => { res.type('html').send(html); });

  router.post(`${base}/accounts`, (req, res) => {
    const out = sandbox.setup(bodyOf(req));
    if (typeof out === 'string') res.status(400).json({ error: out });
    else res.json(out);
  });
  router.get(`${base}/accounts`, (_req, res) => { res.json(sandbox.accounts()); });

  addAdminCoreRoutes(router, base, {
    faults: sandbox.faults,
    limits: { current: () => sandbox.limiter.rule, parse: parseLimit, set: (next) => sandbox.limiter.reset(next) },
    reset: () => sandbox.reset(),
    requests: (filter) => sandbox.log.find(filter),
  });

  router.get(`${base}/screens`, (req, res) => {
    res.json(sandbox.screens(typeof req.query.account === 'string' ? req.query.account : undefined));
  });
  return router;
}
