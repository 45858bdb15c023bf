/**
 * The misconfiguration registry: per enterprise and integration, a fault that retries cannot fix
 * (a malformed bot token, settings that fail their schema, a CRM that refuses its credentials).
 * Workers report and clear entries as they meet them; the gateway lists them in /health and /stats.
 * One Redis hash under the queue prefix, so every process sees the same list.
 *
 * `report` and `clear` say whether they changed anything, so the caller logs once per enterprise
 * and change rather than once per job; a short in-process memo spares Redis the repeats.
 * A reason is shown to operators: it names the field, never the secret value.
 */
import type { Redis } from 'ioredis';
import { redisKeys } from './keys.js';

/** 'telegram', 'config' (integrations_config as a whole), or a CRM's integration type ('retailcrm', …). */
export type MisconfigIntegration = 'telegram' | 'config' | (string & {});

export interface Misconfig {
  enterprise: string;
  integration: MisconfigIntegration;
  reason: string;
  /** ISO time the entry was first reported with this reason. */
  since: string;
}

// Writes only when the entry is missing or its reason differs: one "changed" answer per change, across processes.
const REPORT_LUA = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local ok, d = pcall(cjson.decode, cur)
  if ok and type(d) == 'table' and d.reason == ARGV[2] then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

const MEMO_MS = 5_000;

export class MisconfigRegistry {
  readonly #key: string;
  /** field -> what this process last wrote (a reason, or null for cleared) and when. */
  readonly #memo = new Map<string, { reason: string | null; at: number }>();

  constructor(private readonly redis: Redis, prefix: string, private readonly memoMs = MEMO_MS) {
    this.#key = redisKeys.misconfig(prefix);
  }

  /** Records the fault; true when it is new or its reason changed (log it then, once). */
  async report(enterprise: string, integration: MisconfigIntegration, reason: string): Promise<boolean> {
    const field = fieldOf(enterprise, integration);
    if (this.#recent(field, reason)) return false;
    const entry: Misconfig = { enterprise, integration, reason, since: new Date().toISOString() };
    const changed = (await this.redis.eval(REPORT_LUA, 1, this.#key, field, reason, JSON.stringify(entry))) === 1;
    this.#memo.set(field, { reason, at: Date.now() });
    return changed;
  }

  /** Drops the fault; true when there was one (log the fix then, once). */
  async clear(enterprise: string, integration: MisconfigIntegration): Promise<boolean> {
    const field = fieldOf(enterprise, integration);
    if (this.#recent(field, null)) return false;
    const removed = (await this.redis.hdel(this.#key, field)) === 1;
    this.#memo.set(field, { reason: null, at: Date.now() });
    return removed;
  }

  /** Every current entry, by enterprise then integration. */
  async list(): Promise<Misconfig[]> {
    const raw = await this.redis.hvals(this.#key);
    const entries = raw.flatMap((text) => {
      try {
        return [JSON.parse(text) as Misconfig];
      } catch {
        return [];
      }
    });
    return entries.sort((a, b) => a.enterprise.localeCompare(b.enterprise) || a.integration.localeCompare(b.integration));
  }

  #recent(field: string, reason: string | null): boolean {
    const m = this.#memo.get(field);
    return m !== undefined && m.reason === reason && Date.now() - m.at < this.memoMs;
  }
}

const fieldOf = (enterprise: string, integration: string) => `${enterprise}|${integration}`;
