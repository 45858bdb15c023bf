/**
 * The old Call Logger's write routes, kept for outside callers: POST /log/event, /log/http, /log/sql,
 * /log/telegram, /log/integration with the old bodies. Each is checked (400 naming the field) and
 * queued on `call-log`; 202 means it is in Redis and will be in the call's trace within moments
 * (not yet readable), 503 that Redis did not take it and the caller should resend. Nothing is
 * written to PostgreSQL inside the request: the old service's await-everything made hosts time out.
 */
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { checkShape, checkStorableText } from '@callpipe/events';
import type { Logger } from '@callpipe/logging';
import { LOG_ROUTES, validateLogBody, type Producers } from '@callpipe/queues';
import { logBodyToJob } from './toJob.js';

const ENQUEUE_TIMEOUT_MS = 2000;
// Free-form request/response data may nest, but not so deep that serialising the job overflows the stack.
const LOG_SHAPE = { maxDepth: 32, maxNodes: 50_000 };

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const fail = (res: Response, status: number, error: string, message: string, field?: string) =>
  res.status(status).json(field === undefined ? { status: 'error', error, message } : { status: 'error', error, message, field });

export function logRoutes(producers: Producers, log: Logger, auth: RequestHandler): Router {
  const router = Router();
  const json = express.json({ limit: '512kb', type: () => true });
  let seq = 0;
  for (const route of LOG_ROUTES) {
    router.post(`/log/${route}`, auth, json, async (req: Request, res: Response) => {
      const checked = validateLogBody(route, req.body);
      if (!checked.ok) return fail(res, 400, 'invalid_body', checked.error.message, checked.error.field);
      const shape = checkShape(checked.body, LOG_SHAPE);
      if (shape) return fail(res, 400, 'invalid_body', shape.message, shape.field);
      // NUL or an unpaired surrogate: PostgreSQL's jsonb would refuse the entry on every retry.
      const text = checkStorableText(checked.body);
      if (text) return fail(res, 400, 'invalid_body', text.message, text.field);
      const now = new Date();
      seq = (seq + 1) % 1000;
      const job = logBodyToJob(route, checked.body, now, now.getTime() * 1000 + seq);
      try {
        await within(producers.add('callLog', route, job), ENQUEUE_TIMEOUT_MS);
      } catch (err) {
        log.warn({ err, route, enterprise: job.enterprise }, 'call-log entry not queued');
        return fail(res, 503, 'unavailable', 'Redis did not take the entry; resend it');
      }
      res.status(202).json({ status: 'queued', kind: job.kind, enterprise_number: job.enterprise });
    });
  }
  router.use('/log', (err: Error & { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.parse.failed') return fail(res, 400, 'malformed_json', `body is not valid JSON: ${err.message}`, '(body)');
    if (err.type === 'entity.too.large') return fail(res, 413, 'body_too_large', err.message);
    next(err);
  });
  return router;
}
