/**
 * Faults the sandbox Telegram can be told to inject, for tests and demos: 429 storms, 5xx answers,
 * slowness, chats whose user blocked the bot. Rates are probabilities per call; the `next*` counters
 * fail exactly the next N calls (deterministic, for tests).
 */
export interface TelegramFaults {
  /** Share of calls answered 429 (0..1). */
  rate429: number;
  /** retry_after of injected 429s, in seconds. */
  retryAfterSec: number;
  /** Share of calls answered 500 (0..1). */
  rate5xx: number;
  /** Added to every answer, in ms. */
  delayMs: number;
  /** Chats whose user blocked the bot: sends and edits answer 403. */
  blockedChats: number[];
  /** The next N calls answer 429 / 500, whatever the rates. */
  next429: number;
  next5xx: number;
}

export const NO_FAULTS: TelegramFaults = { rate429: 0, retryAfterSec: 5, rate5xx: 0, delayMs: 0, blockedChats: [], next429: 0, next5xx: 0 };

const RANGES: Record<Exclude<keyof TelegramFaults, 'blockedChats'>, [number, number]> = {
  rate429: [0, 1], retryAfterSec: [0, 3600], rate5xx: [0, 1], delayMs: [0, 120_000], next429: [0, 1_000_000], next5xx: [0, 1_000_000],
};

/** Merges an admin body into the current faults; a string names the first bad field. */
export function parseFaults(body: unknown, current: TelegramFaults): TelegramFaults | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const input = body as Record<string, unknown>;
  const out: TelegramFaults = { ...current, blockedChats: [...current.blockedChats] };
  for (const [key, [min, max]] of Object.entries(RANGES) as [keyof typeof RANGES, [number, number]][]) {
    const v = input[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return `${key} must be a number from ${min} to ${max}`;
    out[key] = v;
  }
  if (input.blockedChats !== undefined) {
    const list = input.blockedChats;
    if (!Array.isArray(list) || !list.every((c) => Number.isSafeInteger(Number(c)))) return 'blockedChats must be a list of chat ids';
    out.blockedChats = list.map(Number);
  }
  for (const key of Object.keys(input)) {
    if (!(key in NO_FAULTS)) return `unknown fault "${key}"`;
  }
  return out;
}

export type InjectedFault = { kind: '429'; retryAfter: number } | { kind: '5xx' } | null;

/** Whether this call fails by injection; consumes a `next*` count when one applies. */
export function drawFault(faults: TelegramFaults, random: () => number = Math.random): InjectedFault {
  if (faults.next5xx > 0) {
    faults.next5xx -= 1;
    return { kind: '5xx' };
  }
  if (faults.next429 > 0) {
    faults.next429 -= 1;
    return { kind: '429', retryAfter: faults.retryAfterSec };
  }
  if (faults.rate5xx > 0 && random() < faults.rate5xx) return { kind: '5xx' };
  if (faults.rate429 > 0 && random() < faults.rate429) return { kind: '429', retryAfter: faults.retryAfterSec };
  return null;
}
