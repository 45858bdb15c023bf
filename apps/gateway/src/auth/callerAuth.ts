/**
 * Express middleware for the 8020 API (and any route serving the project's own processes):
 * loopback or bearer token, else 401. Applied per route, so it never touches other paths.
 */
import type { NextFunction, Request, Response } from 'express';
import { decideAccess, type Caller } from './callerAccess.js';

export function callerAuth(apiToken: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const h = req.headers;
    const access = decideAccess({
      remoteAddress: req.socket.remoteAddress,
      authorization: h.authorization,
      proxied: h['x-forwarded-for'] !== undefined || h.forwarded !== undefined || h['x-real-ip'] !== undefined,
    }, apiToken);
    if (access.allowed) {
      res.locals.caller = access.caller;
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer realm="callpipe gateway"')
      .status(401).json({ status: 'error', error: 'unauthorized', message: access.reason });
  };
}

/** Whether this request may see secrets in config answers: only a bearer-token caller. */
export function secretsVisible(res: Response): boolean {
  return (res.locals.caller as Caller | undefined) === 'token';
}
