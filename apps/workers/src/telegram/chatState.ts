/** What a chat shows for a call, and the (chat, call) lock, in Redis. */
import { randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import { CHAT_STATE_TTL_SECONDS, shownKey, syncLockKey, type CallStage } from '@callpipe/telegram';
import type { QuietFailure } from '../quietFailure.js';

export interface Shown {
  messageId: number;
  text: string;
  stage: CallStage;
  /** The message carries the call-back button (a missed inbound call nobody has called back yet). */
  button?: boolean;
}

const shownOf = (raw: unknown): Shown | null => (typeof raw === 'string' && raw ? (JSON.parse(raw) as Shown) : null);

/**
 * Writes what the chat now shows; with `more`, further writes of the same sync go in the same round
 * trip (one MULTI).
 */
export async function writeShown(
  redis: Redis, prefix: string, chatId: string, callId: string, shown: Shown, more?: (m: ChainableCommander) => ChainableCommander,
): Promise<void> {
  const m = redis.multi().set(shownKey(prefix, chatId, callId), JSON.stringify(shown), 'EX', CHAT_STATE_TTL_SECONDS);
  // A MULTI answers each command's error in its results instead of rejecting.
  for (const [err] of (await (more ? more(m) : m).exec()) ?? []) if (err) throw err;
}

export async function dropShown(redis: Redis, prefix: string, chatId: string, callId: string): Promise<void> {
  await redis.del(shownKey(prefix, chatId, callId));
}

/** Thrown when another sync of the same chat and call runs: BullMQ retries the job shortly (logged at debug). */
export class SyncBusy extends Error implements QuietFailure {
  readonly quiet = true;

  constructor(chatId: string, callId: string) {
    super(`telegram sync of chat ${chatId} call ${callId} already running; retried shortly`);
    this.name = 'SyncBusy';
  }
}

const RELEASE_LUA = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
// The lock and, when taken, what the chat shows for the call: one round trip (both keys share the prefix's slot).
const LOCK_AND_READ_LUA = "if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {1, redis.call('get', KEYS[2])} end return {0}";
const LOCK_MS = 30_000;
const LOCK_WAIT_MS = 3_000;

/**
 * Runs `work` holding the (chat, call) lock, so two events of one call never leave two messages; it is
 * given what the chat shows for the call, read with the lock taken (only a holder of the lock writes it).
 */
export async function withSyncLock<T>(
  redis: Redis, prefix: string, chatId: string, callId: string, work: (shown: Shown | null) => Promise<T>,
): Promise<T> {
  const key = syncLockKey(prefix, chatId, callId);
  const token = randomUUID();
  // Wait a little for a running sync (its send may wait on the rate limiter) before handing the job back.
  const deadline = Date.now() + LOCK_WAIT_MS;
  let taken: unknown;
  while (!Array.isArray(taken = await redis.eval(LOCK_AND_READ_LUA, 2, key, shownKey(prefix, chatId, callId), token, String(LOCK_MS))) || taken[0] !== 1) {
    if (Date.now() >= deadline) throw new SyncBusy(chatId, callId);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await work(shownOf(taken[1]));
  } finally {
    await redis.eval(RELEASE_LUA, 1, key, token);
  }
}
