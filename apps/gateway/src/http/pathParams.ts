/**
 * Path parameters that reach PostgreSQL or Redis are checked first: a NUL or other control
 * character (`/config/%00`) or an overlong value is the caller's mistake, answered 400 naming the
 * parameter — never passed on to fail there as a "database did not answer".
 */
import type { Request, Response } from 'express';
import { fail } from '../api/respond.js';

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The decoded parameter, or null after answering 400. */
export function pathParam(req: Request, res: Response, name: string, maxLength = 128): string | null {
  const raw = req.params[name];
  const value = typeof raw === 'string' ? raw : '';
  if (value === '' || value.length > maxLength || CONTROL.test(value)) {
    fail(res, 400, 'invalid_param', `${name} must be 1 to ${maxLength} printable characters`, name);
    return null;
  }
  return value;
}
