/**
 * The call log's read API: GET /trace/{id} (any UniqueId or BridgeUniqueid of the call; ?enterprise=
 * narrows it), GET /search, GET /enterprise/{n}/events?date=. JSON; 400 names the bad parameter,
 * 404 an unknown id.
 */
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import { eventsOfDay, findCall, searchCalls, timelineOf } from './queries.js';
import { badParamOf, isDecodeError } from '../http/badParam.js';
import { parseDay, parseSearch, parseTraceQuery } from './searchParams.js';
import { callListItem, dayEventItem, traceView, type TraceView } from './view.js';

const ID = /^[\w.:;@/-]{1,128}$/;

export async function loadTrace(db: Kysely<Database>, id: string, enterprise?: string): Promise<TraceView | null> {
  const call = await findCall(db, id, enterprise);
  if (!call) return null;
  return traceView(id, call, await timelineOf(db, call.enterprise_number, call.call_id));
}

const bad = (res: Response, field: string, message: string) => res.status(400).json({ status: 'error', error: 'invalid_query', field, message });

export function traceApiRoutes(db: Kysely<Database>, log: Logger, auth: RequestHandler): Router {
  const router = Router();

  router.get('/trace/:id', auth, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!ID.test(id)) return bad(res, 'id', 'id must be a UniqueId or BridgeUniqueid (1-128 characters)');
    const q = parseTraceQuery(req.query as Record<string, unknown>);
    if (!q.ok) return bad(res, q.field, q.message);
    const view = await loadTrace(db, id, q.value.enterprise);
    if (!view) return res.status(404).json({ status: 'error', error: 'unknown_call', message: `No call has the id "${id}"` });
    res.json(view);
  });

  router.get('/search', auth, async (req: Request, res: Response) => {
    const p = parseSearch(req.query as Record<string, unknown>);
    if (!p.ok) return bad(res, p.field, p.message);
    const { total, rows } = await searchCalls(db, p.value);
    res.json({ total, limit: p.value.limit, offset: p.value.offset, calls: rows.map(callListItem) });
  });

  router.get('/enterprise/:n/events', auth, async (req: Request, res: Response) => {
    const p = parseDay(req.params.n, req.query as Record<string, unknown>, new Date());
    if (!p.ok) return bad(res, p.field, p.message);
    const rows = await eventsOfDay(db, p.value.enterprise, p.value.from, p.value.to, p.value.limit, p.value.offset);
    res.json({ enterprise_number: p.value.enterprise, date: p.value.date, limit: p.value.limit, offset: p.value.offset, count: rows.length, events: rows.map(dayEventItem) });
  });

  // A path parameter that is no valid escape is the caller's mistake, not an outage.
  router.use((err: Error, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent || !isDecodeError(err)) return next(err);
    const p = badParamOf(router, req.path);
    bad(res, p.field, p.message);
  });
  router.use(['/trace', '/search', '/enterprise'], (err: Error, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    log.warn({ err, path: req.path }, 'call-log read failed');
    res.status(503).json({ status: 'error', error: 'unavailable', message: 'PostgreSQL did not answer; retry' });
  });
  return router;
}
