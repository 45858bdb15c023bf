/** What a chat shows for a call, and the (chat, call) lock, in Redis. */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CHAT_STATE_TTL_SECONDS, shownKey, syncLockKey, type CallStage } from '@callpipe/telegram';
import type { QuietFailure } from '../quietFailure.js';

export interface Shown {
  messageId: number;
  text: string;
  stage: CallStage;
  /** The message carries the call-back button (a missed inbound call nobody has called back yet). */
  button?: boolean;
}

export async function readShown(redis: Redis, prefix: string, chatId: string, callId: string): Promise<Shown | null> {
  const raw = await redis.get(shownKey(prefix, chatId, callId));
  return raw ? (JSON.parse(raw) as Shown) : null;
}

export async function writeShown(redis: Redis, prefix: string, chatId: string, callId: string, shown: Shown): Promise<void> {
  await redis.set(shownKey(prefix, chatId, callId), JSON.stringify(shown), 'EX', CHAT_STATE_TTL_SECONDS);
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
const LOCK_MS = 30_000;
const LOCK_WAIT_MS = 3_000;

/** Runs `work` holding the (chat, call) lock, so two events of one call never leave two messages. */
export async function withSyncLock<T>(redis: Redis, prefix: string, chatId: string, callId: string, work: () => Promise<T>): Promise<T> {
  const key = syncLockKey(prefix, chatId, callId);
  const token = randomUUID();
  // Wait a little for a running sync (its send may wait on the rate limiter) before handing the job back.
  const deadline = Date.now() + LOCK_WAIT_MS;
  while ((await redis.set(key, token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
    if (Date.now() >= deadline) throw new SyncBusy(chatId, callId);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE_LUA, 1, key, token);
  }
}
