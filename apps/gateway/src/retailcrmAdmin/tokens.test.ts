import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { authorize, linkClaimsOf, newLink, readAccountLink, signLink, signSession, verifyLink, verifySession, type AccountLink, type SessionClaims } from './tokens.js';

const KEY = new TextEncoder().encode('k'.repeat(40));
const OTHER_KEY = new TextEncoder().encode('o'.repeat(40));
const NOW = 1_780_000_000;

describe('accountUrl link tokens', () => {
  it('carry the enterprise, a jti, issue and expiry times, and verify back to the same claims', async () => {
    const { link, claims } = newLink('0367', NOW, 365);
    expect(link.expires_at - link.issued_at).toBe(365 * 86_400);
    const token = await signLink(KEY, claims);
    expect(decodeJwt(token)).toEqual({ iss: 'callpipe-gateway', aud: 'retailcrm-admin-link', sub: '0367', jti: link.jti, iat: NOW, exp: NOW + 365 * 86_400 });
    expect(await verifyLink(KEY, token, NOW + 10)).toEqual({ ok: true, claims: { enterprise: '0367', jti: link.jti, iat: NOW, exp: NOW + 365 * 86_400 } });
  });

  it('re-sign from the stored link to the very same token (a module refresh resends it unchanged)', async () => {
    const { link, claims } = newLink('0367', NOW, 30);
    expect(await signLink(KEY, linkClaimsOf('0367', link))).toBe(await signLink(KEY, claims));
  });

  it('refuse an expired token as expired, a tampered or foreign-key token as invalid', async () => {
    const { claims } = newLink('0367', NOW, 1);
    const token = await signLink(KEY, claims);
    expect(await verifyLink(KEY, token, NOW + 86_400 + 1)).toEqual({ ok: false, reason: 'expired' });
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: '0368' })).toString('base64url');
    expect(await verifyLink(KEY, `${h}.${forged}.${s}`, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyLink(OTHER_KEY, token, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyLink(KEY, `${h}.${p}`, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyLink(KEY, 'not a token', NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('are not sessions, and sessions are not links (audiences differ)', async () => {
    const link = await signLink(KEY, newLink('0367', NOW, 1).claims);
    const session = await signSession(KEY, { enterprise: '0367', via: 'link', linkJti: 'j', csrf: 'c', exp: NOW + 600 });
    expect((await verifySession(KEY, link, NOW)).ok).toBe(false);
    expect((await verifyLink(KEY, session, NOW)).ok).toBe(false);
    expect(await verifySession(KEY, session, NOW)).toEqual({ ok: true, claims: { enterprise: '0367', via: 'link', linkJti: 'j', csrf: 'c', exp: NOW + 600 } });
  });
});

describe('who may see an enterprise', () => {
  const current: AccountLink = { jti: 'current', issued_at: NOW - 10, expires_at: NOW + 1000 };
  const linkSession = (enterprise: string, linkJti: string): SessionClaims => ({ enterprise, via: 'link', linkJti, csrf: 'c', exp: NOW + 600 });

  it('a link session sees its own enterprise while its link is the current one', () => {
    expect(authorize(linkSession('0367', 'current'), '0367', current, NOW)).toEqual({ ok: true });
  });
  it('never another enterprise', () => {
    expect(authorize(linkSession('0367', 'current'), '0368', current, NOW)).toEqual({ ok: false, denial: 'other-enterprise' });
  });
  it('not after a re-registration (new jti) or a deletion (no link)', () => {
    expect(authorize(linkSession('0367', 'older'), '0367', current, NOW)).toEqual({ ok: false, denial: 'revoked' });
    expect(authorize(linkSession('0367', 'current'), '0367', null, NOW)).toEqual({ ok: false, denial: 'revoked' });
  });
  it('not past the link\'s expiry', () => {
    expect(authorize(linkSession('0367', 'current'), '0367', current, NOW + 1000)).toEqual({ ok: false, denial: 'expired' });
  });
  it('an operator session sees every enterprise', () => {
    expect(authorize({ enterprise: '*', via: 'operator', csrf: 'c', exp: NOW + 600 }, '0368', null, NOW)).toEqual({ ok: true });
  });
  it('reads the stored link defensively', () => {
    expect(readAccountLink({ jti: 'a', issued_at: 1, expires_at: 2 })).toEqual({ jti: 'a', issued_at: 1, expires_at: 2 });
    expect(readAccountLink({ jti: 'a' })).toBeNull();
    expect(readAccountLink(null)).toBeNull();
  });
});
