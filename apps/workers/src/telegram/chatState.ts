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

/** One chat's (chat, call) lock held by a sync (withSyncLocks): its release can ride in the chat's last write. */
export interface ChatLease {
  readonly key: string;
  readonly token: string;
  released: boolean;
}

/**
 * Writes what the chat now shows; with `more`, further commands of the same sync go in the same round
 * trip (one MULTI). With `lease`, the chat's lock is released in it too: once what the chat shows is
 * written, the next sync of the chat may go (what is left of this one, its timeline entry and
 * telegram_sent, is idempotent). Answers the replies of `more`'s commands, in order.
 */
export async function writeShown(
  redis: Redis, prefix: string, chatId: string, callId: string, shown: Shown,
  more?: (m: ChainableCommander) => ChainableCommander, lease?: ChatLease,
): Promise<unknown[]> {
  const m = redis.multi().set(shownKey(prefix, chatId, callId), JSON.stringify(shown), 'EX', CHAT_STATE_TTL_SECONDS);
  const withMore = more ? more(m) : m;
  const replies = (await (lease ? withMore.eval(RELEASE_ALL_LUA, 1, lease.key, lease.token) : withMore).exec()) ?? [];
  // A MULTI answers each command's error in its results instead of rejecting.
  for (const [err] of replies) if (err) throw err;
  if (lease) lease.released = true;
  return replies.slice(1, lease ? -1 : undefined).map(([, value]) => value);
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

// Every (chat, call) lock of a sync at once or none, and what each chat shows for the call: one round
// trip (all keys share the prefix's slot). KEYS: lock, shown, lock, shown, ...
const LOCK_ALL_AND_READ_LUA = `
local n = #KEYS / 2
for i = 1, n do
  if not redis.call('set', KEYS[2 * i - 1], ARGV[1], 'PX', ARGV[2], 'NX') then
    for j = 1, i - 1 do redis.call('del', KEYS[2 * j - 1]) end
    return {0}
  end
end
local out = {1}
for i = 1, n do out[i + 1] = redis.call('get', KEYS[2 * i]) or '' end
return out`;
const RELEASE_ALL_LUA = "local n = 0 for _, k in ipairs(KEYS) do if redis.call('get', k) == ARGV[1] then n = n + redis.call('del', k) end end return n";
const LOCK_MS = 30_000;
const LOCK_WAIT_MS = 3_000;

/**
 * Runs `work` holding the (chat, call) lock of every chat given, so two syncs of one call never leave
 * two messages in a chat; it is given what each chat shows for the call (in the order of `chatIds`),
 * read with the locks taken (only a holder of a chat's lock writes it), and each chat's lease (a chat
 * whose lock went with its write, writeShown, is not released again). All or none: a sync holding
 * some chats' locks never waits for the others, so two syncs naming the same chats cannot deadlock.
 */
export async function withSyncLocks<T>(
  redis: Redis, prefix: string, chatIds: readonly string[], callId: string, work: (shown: (Shown | null)[], leases: ChatLease[]) => Promise<T>,
): Promise<T> {
  const keys = chatIds.flatMap((chatId) => [syncLockKey(prefix, chatId, callId), shownKey(prefix, chatId, callId)]);
  const locks = keys.filter((_, i) => i % 2 === 0);
  const token = randomUUID();
  // Wait a little for a running sync (its send may wait on the rate limiter) before handing the job back.
  const deadline = Date.now() + LOCK_WAIT_MS;
  let taken: unknown;
  while (!Array.isArray(taken = await redis.eval(LOCK_ALL_AND_READ_LUA, keys.length, ...keys, token, String(LOCK_MS))) || taken[0] !== 1) {
    if (Date.now() >= deadline) throw new SyncBusy(chatIds.join(','), callId);
    await new Promise((r) => setTimeout(r, 50));
  }
  const read = taken as unknown[];
  const leases: ChatLease[] = locks.map((key) => ({ key, token, released: false }));
  try {
    return await work(chatIds.map((_, i) => shownOf(read[i + 1])), leases);
  } finally {
    const held = leases.filter((l) => !l.released).map((l) => l.key);
    if (held.length > 0) await redis.eval(RELEASE_ALL_LUA, held.length, ...held, token);
  }
}

/** One chat's lock (withSyncLocks of one). */
export async function withSyncLock<T>(
  redis: Redis, prefix: string, chatId: string, callId: string, work: (shown: Shown | null) => Promise<T>,
): Promise<T> {
  return withSyncLocks(redis, prefix, [chatId], callId, (shown) => work(shown[0] ?? null));
}
