/**
 * The gateway's last two handlers: a path no route serves, and an error no router answered. Both
 * answer JSON in the API's error shape; the error page never shows a stack or a file path, whatever
 * NODE_ENV says. A parameter Express could not decode is the caller's mistake (400 naming it).
 */
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from '@callpipe/logging';
import { fail } from '../api/respond.js';
import { badParamOf, isDecodeError } from './badParam.js';

export function notFound(req: Request, res: Response): void {
  fail(res, 404, 'not_found', `no route for ${req.method} ${req.path}`);
}

export function errorHandler(app: Express, log: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    if (isDecodeError(err)) {
      const bad = badParamOf(app.router, req.path);
      return fail(res, 400, 'invalid_param', bad.message, bad.field);
    }
    const { status, type } = (err ?? {}) as { status?: unknown; type?: unknown };
    if (type === 'entity.parse.failed') return fail(res, 400, 'malformed_json', 'body is not valid JSON', '(body)');
    if (type === 'entity.too.large') return fail(res, 413, 'body_too_large', 'body is too large');
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return fail(res, status, 'invalid_body', 'the request could not be read');
    }
    log.error({ err, path: req.path }, 'gateway request failed');
    fail(res, 500, 'internal', 'the request failed inside the gateway; see its log');
  };
}
