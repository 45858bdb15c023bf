/**
 * HTTP of the sandbox U-ON: the API under /uon/<account>/{key}/<method>.json (so an integration's
 * `api_url` is http://<sandbox>/uon/<account>), the admin API under /_sandbox/uon and the page at /uon.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { sendAnswer } from '../common/answer.js';
import { crmAdminRoutes } from '../common/adminRoutes.js';
import type { UonSandbox } from './uonSandbox.js';

const API_PATH = /^\/uon\/([\w.-]+)\/([^/]+)\/(.+)\.json$/;

export function uonApiRoutes(sandbox: UonSandbox): Router {
  const router = Router();
  const answer = (req: Request, res: Response, next: NextFunction): void => {
    const p = req.params as Record<string, string>;
    const body: unknown = req.body;
    sandbox.handle({
      account: p[0] ?? '', key: decodeURIComponent(p[1] ?? ''), method: req.method, path: p[2] ?? '',
      ...(req.get('content-type') ? { contentType: req.get('content-type') } : {}),
      form: body && typeof body === 'object' && !Array.isArray(body) ? body as Record<string, unknown> : {},
    }).then((a) => sendAnswer(res, a)).catch(next);
  };
  // Only form bodies are read, as U-ON's PHP reads $_POST: a JSON body arrives as no fields at all.
  router.all(API_PATH, express.urlencoded({ extended: false, limit: '1mb' }), answer);
  return router;
}

export function uonAdminRoutes(sandbox: UonSandbox): Router {
  return crmAdminRoutes(sandbox, {
    title: 'U-ON', accent: '#b5482a',
    hint: 'No account has been called yet. Point api_url at http://<this server>/uon/<account>.',
  });
}
