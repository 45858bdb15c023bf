/**
 * Who may call the 8020 API: the project's own processes on this host (loopback, no proxy in
 * between) or anyone presenting the configured bearer token. Only a token holder sees secrets.
 * Pure, so the rules are tested without sockets.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type Caller = 'token' | 'loopback';

export interface RequestFacts {
  /** The TCP peer (req.socket.remoteAddress), never a header: X-Forwarded-For is anyone's to write. */
  remoteAddress: string | undefined;
  authorization: string | undefined;
  /** Whether a proxy header (Forwarded, X-Forwarded-For, X-Real-IP) is present. */
  proxied: boolean;
}

export type Access = { allowed: true; caller: Caller } | { allowed: false; reason: string };

/** 127.0.0.0/8, ::1, and IPv4-mapped 127.x (a dual-stack socket reports ::ffff:127.0.0.1). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function decideAccess(req: RequestFacts, expectedToken: string | undefined): Access {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.authorization?.trim() ?? '');
  if (bearer) {
    if (!expectedToken) return { allowed: false, reason: 'no API token is configured on this gateway (GATEWAY_API_TOKEN)' };
    if (timingSafeEqual(digest(bearer[1]!), digest(expectedToken))) return { allowed: true, caller: 'token' };
    return { allowed: false, reason: 'wrong bearer token' };
  }
  // Another scheme is no API credential: a browser logged in to the admin pages (Basic) re-sends its
  // login to every page of the origin, and /stats opened there must not fail for it. The address decides.
  // A local reverse proxy makes every outside request look local; its forwarding header gives it away.
  if (isLoopback(req.remoteAddress) && !req.proxied) return { allowed: true, caller: 'loopback' };
  return { allowed: false, reason: 'a bearer token is required from outside this host' };
}
