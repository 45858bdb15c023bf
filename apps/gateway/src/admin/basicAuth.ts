/**
 * HTTP Basic login for the admin pages. Without configured credentials the pages are refused
 * outright (503 saying what to set) rather than left open.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function basicAuth(user: string | undefined, password: string | undefined, realm = 'callpipe admin') {
  const expected = user && password ? digest(`${user}:${password}`) : null;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!expected) {
      res.status(503).type('text/plain').send('Admin pages are disabled: set ADMIN_USER and ADMIN_PASSWORD for the gateway.\n');
      return;
    }
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    if (given && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`).status(401).type('text/plain').send('Login required.\n');
  };
}
