/**
 * Customer name/profile and the responsible manager's extension through an enterprise's primary CRM
 * (`smart.primary`), for the gateway's lookup routes and the Telegram texts. Each answer is cached
 * briefly in Redis (shared by every process; a "not found" too); a lookup that is slower than its hard
 * timeout, fails, or finds no primary CRM answers null, and the caller falls back to `customers`.
 * A slow answer that lands after the timeout still fills the cache for the next caller.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '@callpipe/logging';
import type { CrmAdapter, CrmCallState, CrmContext, CrmCustomer } from '../adapter.js';
import { createCrmHttp, type CrmHttpDeps } from '../http/executor.js';

/** What a lookup needs of an enterprise's cached config (the config cache's EnterpriseEntry has it). */
export interface LookupEnterprise {
  number: string;
  primary: string | null;
  integrations: Readonly<Record<string, boolean>>;
  configs: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface LookupAnswer<T> {
  value: T;
  /** The integration that answered. */
  source: string;
  cached: boolean;
}

export interface CrmLookupsOptions {
  redis: Redis;
  prefix: string;
  http: CrmHttpDeps;
  /** Hard bound of one lookup (all its requests). */
  timeoutMs: number;
  cacheSeconds: number;
  adapterFor: (type: string) => CrmAdapter | undefined;
  log: Logger;
}

type Kind = 'customer' | 'responsible';

const TIMED_OUT = Symbol('timed out');

/** Lookups keep nothing per call. */
const noState: CrmCallState = { get: async () => null, set: async () => undefined };

export class CrmLookups {
  hits = 0;
  misses = 0;
  timeouts = 0;
  failures = 0;

  constructor(private readonly o: CrmLookupsOptions) {}

  customer(e: LookupEnterprise, phone: string): Promise<LookupAnswer<CrmCustomer | null> | null> {
    return this.lookup<CrmCustomer | null>('customer', e, phone, (a, p, ctx) => a.customer(p, ctx));
  }

  responsibleExtension(e: LookupEnterprise, phone: string): Promise<LookupAnswer<string | null> | null> {
    return this.lookup<string | null>('responsible', e, phone, (a, p, ctx) => a.responsibleExtension(p, ctx));
  }

  /** The primary CRM when it is enabled and has an adapter. */
  primaryOf(e: LookupEnterprise): { type: string; adapter: CrmAdapter; settings: Readonly<Record<string, unknown>> } | null {
    const type = e.primary;
    if (!type || e.integrations[type] !== true) return null;
    const adapter = this.o.adapterFor(type);
    const settings = e.configs[type];
    return adapter && settings ? { type, adapter, settings } : null;
  }

  private async lookup<T>(kind: Kind, e: LookupEnterprise, phone: string, ask: (a: CrmAdapter, phone: string, ctx: CrmContext) => Promise<T>): Promise<LookupAnswer<T> | null> {
    const primary = this.primaryOf(e);
    const digits = phone.replace(/\D/g, '');
    if (!primary || !digits) return null;
    const key = `${this.o.prefix}:crm:lookup:${kind}:${e.number}:${primary.type}:${digits}`;
    const held = await this.o.redis.get(key).catch(() => null);
    if (held !== null) {
      try {
        this.hits += 1;
        return { value: (JSON.parse(held) as { v: T }).v, source: primary.type, cached: true };
      } catch { /* unreadable: ask again */ }
    }
    this.misses += 1;
    const log = this.o.log.child({ enterprise: e.number, integration: primary.type, lookup: kind });
    const account = { enterprise: e.number, type: primary.type, settings: primary.settings };
    const http = createCrmHttp(this.o.http, { adapter: primary.adapter, account, action: kind, callRefs: [], attempt: 1, log });
    const work = ask(primary.adapter, digits, { account, http, state: noState, log }).then(async (value) => {
      await this.o.redis.set(key, JSON.stringify({ v: value }), 'EX', this.o.cacheSeconds).catch(() => undefined);
      return value;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => { timer = setTimeout(() => resolve(TIMED_OUT), this.o.timeoutMs); });
    try {
      const out = await Promise.race([work, timeout]);
      if (out === TIMED_OUT) {
        this.timeouts += 1;
        work.catch(() => undefined);
        log.debug({ timeoutMs: this.o.timeoutMs }, 'CRM lookup too slow; falling back');
        return null;
      }
      return { value: out as T, source: primary.type, cached: false };
    } catch (err) {
      this.failures += 1;
      log.warn({ err: (err as Error).message }, 'CRM lookup failed; falling back');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
