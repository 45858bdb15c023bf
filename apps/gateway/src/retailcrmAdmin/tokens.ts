/**
 * The two signed tokens of the RetailCRM admin (HS256 JWTs, jose): the link RetailCRM's "go to
 * account" button carries (accountUrl: one enterprise, a jti, a long expiry) and the session cookie
 * a link or an operator login turns into (short, with its CSRF token). A link is valid only while its
 * jti is the enterprise's current one (integrations_config.retailcrm.account_link): re-registering
 * the module replaces it and deleting the integration drops it, which revokes every older link and
 * every session opened with one.
 */
import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'callpipe-gateway';
const LINK_AUDIENCE = 'retailcrm-admin-link';
const SESSION_AUDIENCE = 'retailcrm-admin-session';

/** What is stored per enterprise to know which link is current. Times in unix seconds. */
export interface AccountLink {
  jti: string;
  issued_at: number;
  expires_at: number;
}

export interface LinkClaims {
  enterprise: string;
  jti: string;
  iat: number;
  exp: number;
}

/** enterprise '*' is an operator (ADMIN_USER) session: every enterprise. */
export interface SessionClaims {
  enterprise: string;
  via: 'link' | 'operator';
  /** The link's jti a link session was opened with (checked against the current one on every request). */
  linkJti?: string;
  csrf: string;
  exp: number;
}

export type Verified<T> = { ok: true; claims: T } | { ok: false; reason: 'expired' | 'invalid' };

export const newJti = (): string => randomBytes(16).toString('base64url');

export function newLink(enterprise: string, nowSec: number, days: number): { link: AccountLink; claims: LinkClaims } {
  const link = { jti: newJti(), issued_at: nowSec, expires_at: nowSec + days * 86_400 };
  return { link, claims: linkClaimsOf(enterprise, link) };
}

export const linkClaimsOf = (enterprise: string, l: AccountLink): LinkClaims => ({ enterprise, jti: l.jti, iat: l.issued_at, exp: l.expires_at });

/** Signing is deterministic: the stored AccountLink re-signs to the same token (module refreshes resend it unchanged). */
export function signLink(key: Uint8Array, c: LinkClaims): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(ISSUER).setAudience(LINK_AUDIENCE)
    .setSubject(c.enterprise).setJti(c.jti).setIssuedAt(c.iat).setExpirationTime(c.exp).sign(key);
}

export function signSession(key: Uint8Array, c: SessionClaims): Promise<string> {
  return new SignJWT({ via: c.via, csrf: c.csrf, ...(c.linkJti ? { lj: c.linkJti } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(ISSUER).setAudience(SESSION_AUDIENCE)
    .setSubject(c.enterprise).setIssuedAt().setExpirationTime(c.exp).sign(key);
}

async function verify(key: Uint8Array, token: string, audience: string, nowSec?: number): Promise<Verified<Record<string, unknown>>> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER, audience, algorithms: ['HS256'], requiredClaims: ['sub', 'exp'],
      ...(nowSec === undefined ? {} : { currentDate: new Date(nowSec * 1000) }),
    });
    return { ok: true, claims: payload as Record<string, unknown> };
  } catch (err) {
    // jose checks the signature before the claims: an expired token is one we really signed.
    return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

export async function verifyLink(key: Uint8Array, token: string, nowSec?: number): Promise<Verified<LinkClaims>> {
  const v = await verify(key, token, LINK_AUDIENCE, nowSec);
  if (!v.ok) return v;
  const { sub, jti, iat, exp } = v.claims;
  if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') return { ok: false, reason: 'invalid' };
  return { ok: true, claims: { enterprise: sub, jti, iat: typeof iat === 'number' ? iat : 0, exp } };
}

export async function verifySession(key: Uint8Array, token: string, nowSec?: number): Promise<Verified<SessionClaims>> {
  const v = await verify(key, token, SESSION_AUDIENCE, nowSec);
  if (!v.ok) return v;
  const { sub, via, csrf, lj, exp } = v.claims;
  if (typeof sub !== 'string' || (via !== 'link' && via !== 'operator') || typeof csrf !== 'string' || typeof exp !== 'number') return { ok: false, reason: 'invalid' };
  if (via === 'link' && typeof lj !== 'string') return { ok: false, reason: 'invalid' };
  return { ok: true, claims: { enterprise: sub, via, csrf, exp, ...(typeof lj === 'string' ? { linkJti: lj } : {}) } };
}

export type Denial = 'no-session' | 'expired' | 'invalid' | 'revoked' | 'other-enterprise';

/**
 * May this session see this enterprise's pages? A link session only its own enterprise's, and only
 * while the link it came from is still the current one. Pure.
 */
export function authorize(session: SessionClaims, enterprise: string, current: AccountLink | null, nowSec: number): { ok: true } | { ok: false; denial: Denial } {
  if (session.via === 'operator') return { ok: true };
  if (session.enterprise !== enterprise) return { ok: false, denial: 'other-enterprise' };
  if (!current || current.jti !== session.linkJti) return { ok: false, denial: 'revoked' };
  if (current.expires_at <= nowSec) return { ok: false, denial: 'expired' };
  return { ok: true };
}

/** The stored link, read defensively. */
export function readAccountLink(raw: unknown): AccountLink | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  return typeof r.jti === 'string' && typeof r.issued_at === 'number' && typeof r.expires_at === 'number'
    ? { jti: r.jti, issued_at: r.issued_at, expires_at: r.expires_at } : null;
}
