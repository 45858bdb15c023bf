/**
 * The admin API and page of a sandbox CRM under /_sandbox/<slug> and /<slug>: set up accounts, set
 * faults and limits, reset, read back the requests and what each manager sees.
 */
import express, { Router, type Request } from 'express';
import { NO_FAULTS, parseFaults } from './faults.js';
import { parseLimit } from './limiter.js';
import { crmPage, type PageLabels } from './page.js';
import type { CrmSandboxBase } from './sandboxBase.js';

const optionalInt = (v: unknown): number | undefined => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

function bodyOf(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? b as Record<string, unknown> : {};
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

  router.get(`${base}/faults`, (_req, res) => { res.json(Object.fromEntries(sandbox.faults)); });
  router.post(`${base}/faults`, (req, res) => {
    const b = bodyOf(req);
    const account = typeof b.account === 'string' && b.account ? b.account : '*';
    const next = parseFaults(b, sandbox.faults.get(account) ?? { ...NO_FAULTS });
    if (typeof next === 'string') {
      res.status(400).json({ error: next });
      return;
    }
    sandbox.faults.set(account, next);
    res.json({ account, ...next });
  });

  router.get(`${base}/limits`, (_req, res) => { res.json(sandbox.limiter.rule); });
  router.post(`${base}/limits`, (req, res) => {
    const next = parseLimit(req.body, sandbox.limiter.rule);
    if (typeof next === 'string') {
      res.status(400).json({ error: next });
      return;
    }
    sandbox.limiter.reset(next);
    res.json(next);
  });

  router.post(`${base}/reset`, (_req, res) => {
    sandbox.reset();
    res.json({ ok: true });
  });

  router.get(`${base}/requests`, (req, res) => {
    const q = req.query as Record<string, unknown>;
    const since = optionalInt(q.since);
    const list = sandbox.log.find({
      ...(typeof q.account === 'string' ? { account: q.account } : {}),
      ...(typeof q.path === 'string' ? { path: q.path } : {}),
      ...(since === undefined ? {} : { since }),
    });
    const limit = optionalInt(q.limit);
    res.json(limit ? list.slice(-limit) : list);
  });

  router.get(`${base}/screens`, (req, res) => {
    res.json(sandbox.screens(typeof req.query.account === 'string' ? req.query.account : undefined));
  });
  return router;
}
