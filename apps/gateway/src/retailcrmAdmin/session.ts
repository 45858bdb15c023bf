/**
 * Sessions of the RetailCRM admin: a signed cookie (HttpOnly, SameSite=Lax, Secure behind https,
 * scoped to the admin path) made from an accountUrl link or an operator login, checked on every
 * request against the enterprise in the path and the enterprise's current link; and the CSRF check
 * of every POST (the session's own token in a header or form field, plus a same-origin Origin).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ADMIN_PATH } from './moduleSpec.js';
import { deniedPage, denialStatus, denialText } from './pages.js';
import type { AdminEnterprise, AdminStore } from './store.js';
import { authorize, readAccountLink, signSession, verifySession, type Denial, type SessionClaims } from './tokens.js';

export const SESSION_COOKIE = 'rc_admin';

export interface AdminLocals {
  session: SessionClaims;
  enterprise: AdminEnterprise;
}

export interface SessionSettings {
  key: Uint8Array;
  secureCookie: boolean;
  sessionMinutes: number;
}

const nowSec = (): number => Math.floor(Date.now() / 1000);

function cookieOf(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

const isApi = (req: Request): boolean => /\/api\//.test(req.path) || req.method !== 'GET';

export function deny(req: Request, res: Response, d: Denial): void {
  res.status(denialStatus(d)).set('Cache-Control', 'no-store');
  if (isApi(req)) res.json({ ok: false, denied: d, message: denialText(d) });
  else res.type('html').send(deniedPage(d));
}

export class AdminSessions {
  constructor(private readonly s: SessionSettings, private readonly store: AdminStore) {}

  /** A fresh session cookie; a link session never outlives its link. */
  async open(res: Response, c: { enterprise: string; via: 'link' | 'operator'; linkJti?: string; linkExp?: number }): Promise<SessionClaims> {
    const exp = Math.min(nowSec() + this.s.sessionMinutes * 60, c.linkExp ?? Number.MAX_SAFE_INTEGER);
    const claims: SessionClaims = { enterprise: c.enterprise, via: c.via, csrf: randomBytes(18).toString('base64url'), exp, ...(c.linkJti ? { linkJti: c.linkJti } : {}) };
    const token = await signSession(this.s.key, claims);
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.s.secureCookie, path: ADMIN_PATH, maxAge: (exp - nowSec()) * 1000 });
    return claims;
  }

  close(res: Response): void {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: this.s.secureCookie, path: ADMIN_PATH });
  }

  /** The session of this request, or why there is none. */
  async read(req: Request): Promise<{ ok: true; claims: SessionClaims } | { ok: false; denial: Denial }> {
    const token = cookieOf(req, SESSION_COOKIE);
    if (!token) return { ok: false, denial: 'no-session' };
    const v = await verifySession(this.s.key, token);
    return v.ok ? v : { ok: false, denial: v.reason };
  }

  /** Middleware for /:enterprise/…: the session must reach this enterprise, and its link must still be current. */
  forEnterprise() {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const number = String(req.params.enterprise ?? '');
      const got = await this.read(req);
      if (!got.ok) return deny(req, res, got.denial);
      // Refused before the enterprise is looked up: another enterprise's session learns nothing about it.
      if (got.claims.via === 'link' && got.claims.enterprise !== number) return deny(req, res, 'other-enterprise');
      const enterprise = /^[\w-]{1,10}$/.test(number) ? await this.store.enterprise(number) : null;
      if (!enterprise) {
        if (got.claims.via === 'link') return deny(req, res, 'revoked');
        res.status(404).type('html').send(deniedPage('no-session').replace('Нужен вход', `Нет предприятия ${number.replace(/[^\w-]/g, '')}`));
        return;
      }
      const verdict = authorize(got.claims, number, readAccountLink(enterprise.retailcrm.account_link), nowSec());
      if (!verdict.ok) return deny(req, res, verdict.denial);
      res.locals.admin = { session: got.claims, enterprise } satisfies AdminLocals;
      next();
    };
  }
}

function sameOrigin(req: Request, publicHost: string): boolean {
  const origin = req.get('origin');
  if (!origin) return true;
  try {
    const host = new URL(origin).host;
    return host === req.get('host') || host === publicHost;
  } catch {
    return false;
  }
}

/** Is this POST the session's own? Its CSRF token (X-CSRF-Token or _csrf) and, when the browser sends one, our own Origin. */
export function csrfOk(req: Request, session: SessionClaims, publicHost: string): boolean {
  const body = req.body as Record<string, unknown> | undefined;
  const sent = req.get('x-csrf-token') ?? (typeof body?._csrf === 'string' ? body._csrf : '');
  const expected = session.csrf;
  const same = sent.length === expected.length && expected.length > 0 && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  return same && sameOrigin(req, publicHost);
}

export const CSRF_REFUSED = 'Форма устарела или пришла с чужого сайта (CSRF): обновите страницу и повторите.';

/** Middleware after forEnterprise: every POST must pass csrfOk. */
export function csrfCheck(publicHost: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const admin = res.locals.admin as AdminLocals | undefined;
    if (admin && csrfOk(req, admin.session, publicHost)) return next();
    res.status(403).json({ ok: false, message: CSRF_REFUSED });
  };
}
