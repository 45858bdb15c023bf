/**
 * The trace page for operators: GET /trace-ui/{id} renders the call holding that id, with its data
 * inside the page (no second request, so the page works behind the admin login alone);
 * GET /trace-ui/?id=… redirects to it. Mounted behind the admin login.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import { isDecodeError } from '../http/badParam.js';
import { loadTrace } from './apiRoutes.js';
import { listParam } from './searchParams.js';
import { renderNotFoundPage, renderTracePage, TRACE_PAGE_PATH } from './pageHtml.js';

const html = (res: Response, status: number, body: string) =>
  res.status(status).set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).send(body);

export function tracePageRoutes(db: Kysely<Database>, log: Logger): Router {
  const router = Router();
  router.get('/', (req: Request, res: Response) => {
    const list = listParam(req.query as Record<string, unknown>);
    if (list !== undefined) return res.status(400).type('text/plain').send(`${list} must be given once, as ${list}=value.\n`);
    const id = typeof req.query.id === 'string' ? req.query.id.trim() : '';
    if (id) return res.redirect(303, `${TRACE_PAGE_PATH}/${encodeURIComponent(id)}`);
    html(res, 200, renderNotFoundPage(''));
  });
  router.get('/:id', async (req: Request, res: Response) => {
    const id = String(req.params.id).slice(0, 128);
    const view = await loadTrace(db, id);
    if (!view) return html(res, 404, renderNotFoundPage(id));
    html(res, 200, renderTracePage(view));
  });
  router.use((err: Error, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (isDecodeError(err)) return res.status(400).type('text/plain').send('The call id in the address is not a valid URI escape.\n');
    log.warn({ err, path: req.path }, 'trace page failed');
    res.status(503).type('text/plain').send('The call log could not be read (PostgreSQL did not answer). Reload in a moment.\n');
  });
  return router;
}
