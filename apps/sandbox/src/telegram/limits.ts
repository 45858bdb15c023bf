/**
 * Telegram's flood limits as the sandbox enforces them: a message (send or edit) draws one token from
 * the bot's, the chat's and (for groups) the group's bucket; with any bucket empty the answer is 429
 * with the seconds until it refills. Refused requests take nothing, as in Telegram.
 */
import { bucketsFor, type SendLimits } from '@callpipe/telegram';

export type SandboxLimits = SendLimits;

/** Telegram's published limits with a short per-chat burst. */
export const SANDBOX_DEFAULT_LIMITS: SandboxLimits = { chatIntervalMs: 1000, chatBurst: 3, groupPerMinute: 20, botPerSecond: 30 };

export class FloodLimits {
  private readonly levels = new Map<string, { tokens: number; ts: number }>();

  constructor(public limits: SandboxLimits) {}

  /** 0 when the message may go (tokens taken), else the ms until it could. */
  take(botId: string, chatId: number, now: number): number {
    const buckets = bucketsFor('flood', botId, chatId, this.limits);
    let wait = 0;
    const next = buckets.map((b) => {
      const last = this.levels.get(b.key) ?? { tokens: b.capacity, ts: now };
      const tokens = Math.min(b.capacity, last.tokens + Math.max(0, now - last.ts) * b.perMs);
      if (tokens < 1) wait = Math.max(wait, Math.ceil((1 - tokens) / b.perMs));
      return { key: b.key, tokens };
    });
    if (wait > 0) return wait;
    for (const n of next) this.levels.set(n.key, { tokens: n.tokens - 1, ts: now });
    return 0;
  }

  reset(limits?: SandboxLimits): void {
    this.levels.clear();
    if (limits) this.limits = limits;
  }
}

/** Checks an admin body for new limits; the message names the first bad field. */
export function parseLimits(body: unknown, current: SandboxLimits): SandboxLimits | string {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object';
  const out: SandboxLimits = { ...current };
  for (const key of Object.keys(current) as (keyof SandboxLimits)[]) {
    const v = (body as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return `${key} must be a positive number`;
    out[key] = v;
  }
  return out;
}
