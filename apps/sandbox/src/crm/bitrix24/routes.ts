/**
 * HTTP of the sandbox Bitrix24: REST under /b24/<portal>/rest/<user id>/<code>/<method>[.json] (so an
 * integration's `webhook_url` is http://<sandbox>/b24/<portal>/rest/<user id>/<code>/), the admin API
 * under /_sandbox/bitrix24 and the page at /bitrix24.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { sendAnswer, unreadableBody } from '../common/answer.js';
import { crmAdminRoutes } from '../common/adminRoutes.js';
import type { Bitrix24Sandbox } from './bitrix24Sandbox.js';
import { b24Error } from './methods.js';

const API_PATH = /^\/b24\/([\w.-]+)\/rest\/(\d+)\/([^/]+)\/([\w.]+?)(?:\.json)?\/?$/;

export function bitrix24ApiRoutes(sandbox: Bitrix24Sandbox): Router {
  const router = Router();
  const answer = (req: Request, res: Response, next: NextFunction): void => {
    const p = req.params as Record<string, string>;
    const body: unknown = req.body;
    sandbox.handle({
      portal: p[0] ?? '', webhookUser: p[1] ?? '', code: p[2] ?? '', method: p[3] ?? '', httpMethod: req.method,
      ...(req.get('content-type') ? { contentType: req.get('content-type') } : {}),
      params: { ...(req.query as Record<string, unknown>), ...(body && typeof body === 'object' && !Array.isArray(body) ? body as Record<string, unknown> : {}) },
    }).then((a) => sendAnswer(res, a)).catch(next);
  };
  router.all(API_PATH, express.json({ limit: '1mb' }), express.urlencoded({ extended: true, limit: '1mb' }), answer);
  router.use(API_PATH, unreadableBody(b24Error(400, 'INVALID_REQUEST', 'Request body could not be parsed')));
  return router;
}

export function bitrix24AdminRoutes(sandbox: Bitrix24Sandbox): Router {
  return crmAdminRoutes(sandbox, {
    title: 'Bitrix24', accent: '#1f6fb5',
    hint: 'No portal has been called yet. Point webhook_url at http://<this server>/b24/<portal>/rest/1/<code>/.',
  });
}
