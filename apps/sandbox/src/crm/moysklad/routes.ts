/**
 * HTTP of the sandbox MoySklad: the Phone API under /ms/<account>/api/phone/1.0/ and the JSON API
 * under /ms/<account>/api/remap/1.2/ (so `phone_api_url` and `api_url` point at them), the admin API
 * under /_sandbox/moysklad and the page at /moysklad.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { sendAnswer, unreadableBody } from '../common/answer.js';
import { crmAdminRoutes } from '../common/adminRoutes.js';
import { msError } from './phoneApi.js';
import type { MoyskladSandbox } from './moyskladSandbox.js';

const API_PATH = /^\/ms\/([\w.-]+)\/api\/(phone\/1\.0|remap\/1\.2)\/(.+)$/;

export function moyskladApiRoutes(sandbox: MoyskladSandbox): Router {
  const router = Router();
  const answer = (req: Request, res: Response, next: NextFunction): void => {
    const p = req.params as Record<string, string>;
    const [account = '', api = '', path = ''] = [p[0], p[1], p[2]];
    sandbox.handle({
      account, api: api.startsWith('phone') ? 'phone' : 'remap', method: req.method, path,
      headers: {
        ...(req.get('lognex-phone-auth-token') ? { phoneKey: req.get('lognex-phone-auth-token') } : {}),
        ...(req.get('authorization') ? { authorization: req.get('authorization') } : {}),
        ...(req.get('accept-encoding') ? { acceptEncoding: req.get('accept-encoding') } : {}),
        ...(req.get('content-type') ? { contentType: req.get('content-type') } : {}),
      },
      query: req.query as Record<string, unknown>, body: (req.body as unknown) ?? null,
      apiBase: `${req.protocol}://${req.get('host') ?? 'localhost'}/ms/${account}/api`,
    }).then((a) => sendAnswer(res, a)).catch(next);
  };
  router.all(API_PATH, express.json({ limit: '2mb', strict: false }), answer);
  router.use(API_PATH, unreadableBody(msError(400, 'Входящий запрос не соответствует формату JSON', 2001)));
  return router;
}

export function moyskladAdminRoutes(sandbox: MoyskladSandbox): Router {
  return crmAdminRoutes(sandbox, {
    title: 'MoySklad', accent: '#0b6e4f',
    hint: 'No account has been called yet. Point phone_api_url at http://<this server>/ms/<account>/api/phone/1.0 (and api_url at …/api/remap/1.2).',
  });
}
