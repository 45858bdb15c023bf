/**
 * The sandbox RetailCRM's click-to-call: a manager presses "call" beside a customer or a call on the
 * sandbox page, and the sandbox does what RetailCRM's servers do — a GET to the makeCallUrl of the
 * account's registered telephony module with clientId (the module's), code (the manager's telephony
 * code), userId and phone. Each attempt and the answer are kept for the page and tests.
 */
import type { Account } from './state.js';

export interface MakeCallTarget {
  url: string;
  clientId: string;
  /** The module it came from (integration-modules/{code}/edit), or "demo" (the sandbox's own setup). */
  module: string;
}

export interface ClickToCall {
  at: string;
  userId: number;
  code: string | null;
  phone: string;
  url: string;
  status: number | string;
  answer: unknown;
  durationMs: number;
}

const made = new WeakMap<Account, ClickToCall[]>();
const fallbacks = new WeakMap<Account, MakeCallTarget>();
const KEPT = 50;
const TIMEOUT_MS = 30_000;

/** For an account the demo sets up without registering a module: where its "call" buttons go. */
export function setMakeCallFallback(a: Account, target: MakeCallTarget): void {
  fallbacks.set(a, target);
}

/** The makeCallUrl and clientId of the account's telephony module (a registered one wins over the demo's). */
export function makeCallTarget(a: Account): MakeCallTarget | null {
  for (const [code, m] of a.modules) {
    const telephony = (m.integrations as { telephony?: { makeCallUrl?: unknown } } | undefined)?.telephony;
    if (m.active !== false && typeof telephony?.makeCallUrl === 'string' && typeof m.clientId === 'string') {
      return { url: telephony.makeCallUrl, clientId: m.clientId, module: code };
    }
  }
  return fallbacks.get(a) ?? null;
}

export function clickToCallsOf(a: Account): ClickToCall[] {
  return made.get(a) ?? [];
}

/** One press of "call": the request RetailCRM would make, and what the telephony answered. A string: nothing was sent, and why. */
export async function clickToCall(a: Account, userId: number, phone: string): Promise<ClickToCall | string> {
  const target = makeCallTarget(a);
  if (!target) return 'no telephony module with a makeCallUrl is registered in this account';
  let code: string | null = null;
  for (const [c, id] of a.codes) if (id === userId) { code = c; break; }
  const url = new URL(target.url);
  url.searchParams.set('clientId', target.clientId);
  url.searchParams.set('userId', String(userId));
  url.searchParams.set('phone', phone);
  if (code) url.searchParams.set('code', code);
  const started = Date.now();
  let status: number | string;
  let answer: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    status = res.status;
    const text = await res.text();
    try { answer = JSON.parse(text) as unknown; } catch { answer = text.slice(0, 500); }
  } catch (err) {
    status = (err as Error).message;
    answer = null;
  }
  const c: ClickToCall = { at: new Date().toISOString(), userId, code, phone, url: url.toString(), status, answer, durationMs: Date.now() - started };
  const list = made.get(a) ?? [];
  list.push(c);
  if (list.length > KEPT) list.splice(0, list.length - KEPT);
  made.set(a, list);
  return c;
}
