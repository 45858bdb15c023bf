/**
 * What the Telegram sync records once a chat has a call's final message: call_events.telegram_sent on
 * the call's hangups when every active recipient has it. (The `calls` row and the customers' aggregates
 * are the call log's after-entry step, callHistory/writeCall.ts: history never waits for Telegram.)
 */
import type { Kysely } from 'kysely';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Database } from '@callpipe/db';
import { CHAT_STATE_TTL_SECONDS, finalDoneKey } from '@callpipe/telegram';

/** Appends the chat's mark (it has the call's final message) to a MULTI; the last reply is every chat marked so far. */
export function markFinal(m: ChainableCommander, prefix: string, callId: string, chatId: string): ChainableCommander {
  const key = finalDoneKey(prefix, callId);
  return m.sadd(key, chatId).expire(key, CHAT_STATE_TTL_SECONDS).smembers(key);
}

/** The chats markFinal's last reply names. */
export function markedChats(reply: unknown): Set<string> {
  return new Set(Array.isArray(reply) ? reply.map(String) : []);
}

/** When every active recipient is among `done`, the call's hangups get telegram_sent. */
export async function setTelegramSentIfAll(
  db: Kysely<Database>, done: ReadonlySet<string>, recipients: readonly string[], hangupKeys: readonly string[],
): Promise<boolean> {
  if (!recipients.every((r) => done.has(r)) || hangupKeys.length === 0) return false;
  await db.updateTable('call_events').set({ telegram_sent: true }).where('event_key', 'in', [...hangupKeys]).execute();
  return true;
}

/** Marks the chat done for the call (a round trip of its own); when every active recipient is, the hangups get telegram_sent. */
export async function markFinalDelivered(
  db: Kysely<Database>, redis: Redis, prefix: string, callId: string, chatId: string, recipients: readonly string[], hangupKeys: readonly string[],
): Promise<boolean> {
  const replies = await markFinal(redis.multi(), prefix, callId, chatId).exec();
  const [err, members] = replies?.[2] ?? [new Error('transaction discarded'), null];
  if (err) throw err;
  return setTelegramSentIfAll(db, markedChats(members), recipients, hangupKeys);
}
