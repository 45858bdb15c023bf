/**
 * A circuit breaker per (enterprise, integration), shared by every process through Redis
 * (breakerLua.ts has the rules). One dead CRM stops being called after a few failures in a row; its
 * jobs wait (the dispatch delays them without spending their attempts) until one probe request finds
 * it back. Other enterprises' breakers are other keys: they never wait for this one.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BREAKER_LUA } from './breakerLua.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Consecutive failures (timeouts, 5xx) that open it. */
  failureThreshold: number;
  /** How long it stays open before the first probe; doubled after each failed probe up to maxOpenMs. */
  openMs: number;
  maxOpenMs: number;
  /** A probe not answered within this long lets another request probe. */
  probeLeaseMs: number;
}

export interface BreakerDecision {
  allowed: boolean;
  /** When refused: ms until the next probe may go. */
  waitMs: number;
  state: BreakerState;
  /** This request is the probe of a half-open breaker. */
  probe: boolean;
}

export interface BreakerTransition {
  state: BreakerState;
  previous: BreakerState;
  /** ms it stays open (when it just opened). */
  openMs: number;
}

export interface BreakerStatus {
  enterprise: string;
  integration: string;
  state: BreakerState;
  failures: number;
  openUntil: string | null;
  openedAt: string | null;
  closedAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
}

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
const iso = (v: string | undefined): string | null => (v && Number(v) > 0 ? new Date(Number(v)).toISOString() : null);

const breakerKey = (prefix: string, enterprise: string, integration: string) => `${prefix}:crm:breaker:${enterprise}:${integration}`;
const indexKeyOf = (prefix: string) => `${prefix}:crm:breakers`;

/** Every breaker that has ever opened (and not expired after a quiet week), open ones first. Read-only: the gateway's view. */
export async function readBreakers(redis: Redis, prefix: string): Promise<BreakerStatus[]> {
  const members = await redis.smembers(indexKeyOf(prefix));
  const out: BreakerStatus[] = [];
  for (const m of members) {
    const i = m.indexOf(':');
    const enterprise = m.slice(0, i);
    const integration = m.slice(i + 1);
    const h = await redis.hgetall(breakerKey(prefix, enterprise, integration));
    if (!h.state) {
      await redis.srem(indexKeyOf(prefix), m);
      continue;
    }
    out.push({
      enterprise, integration, state: h.state as BreakerState, failures: Number(h.failures ?? 0),
      openUntil: h.state === 'closed' ? null : iso(h.openUntil), openedAt: iso(h.openedAt), closedAt: iso(h.closedAt),
      lastFailureAt: iso(h.lastFailureAt), lastError: h.lastError || null,
    });
  }
  const rank: Record<BreakerState, number> = { open: 0, 'half-open': 1, closed: 2 };
  return out.sort((a, b) => rank[a.state] - rank[b.state] || a.enterprise.localeCompare(b.enterprise));
}

export class CrmBreaker {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly s: BreakerSettings) {}

  private key(enterprise: string, integration: string): string {
    return breakerKey(this.prefix, enterprise, integration);
  }

  private get indexKey(): string {
    return indexKeyOf(this.prefix);
  }

  async allow(enterprise: string, integration: string): Promise<BreakerDecision> {
    const [allowed, waitMs, state] = await this.run('allow', enterprise, integration);
    return { allowed: allowed === 1, waitMs, state, probe: allowed === 1 && state === 'half-open' };
  }

  async success(enterprise: string, integration: string): Promise<BreakerTransition> {
    const [, waitMs, state, previous] = await this.run('success', enterprise, integration);
    return { state, previous, openMs: waitMs };
  }

  async failure(enterprise: string, integration: string, reason: string): Promise<BreakerTransition> {
    const [, waitMs, state, previous] = await this.run('failure', enterprise, integration, reason.slice(0, 500));
    return { state, previous, openMs: waitMs };
  }

  list(): Promise<BreakerStatus[]> {
    return readBreakers(this.redis, this.prefix);
  }

  async state(enterprise: string, integration: string): Promise<BreakerState> {
    return ((await this.redis.hget(this.key(enterprise, integration), 'state')) as BreakerState | null) ?? 'closed';
  }

  private async run(op: string, enterprise: string, integration: string, reason = ''): Promise<[number, number, BreakerState, BreakerState]> {
    const keys = [this.key(enterprise, integration), this.indexKey];
    const args = [op, `${enterprise}:${integration}`, String(this.s.failureThreshold), String(this.s.openMs), String(this.s.maxOpenMs), String(this.s.probeLeaseMs), reason];
    let out: unknown;
    try {
      out = await this.redis.evalsha(sha1(BREAKER_LUA), keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      out = await this.redis.eval(BREAKER_LUA, keys.length, ...keys, ...args);
    }
    const [a, w, s, b] = out as [number, number, string, string];
    return [Number(a), Number(w), s as BreakerState, b as BreakerState];
  }
}
