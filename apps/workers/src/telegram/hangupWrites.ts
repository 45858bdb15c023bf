/**
 * What the Telegram sync records once a chat has a call's final message: call_events.telegram_sent on
 * the call's hangups when every active recipient has it. (The `calls` row and the customers' aggregates
 * are the call log's after-entry step, callHistory/writeCall.ts: history never waits for Telegram.)
 */
import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '@callpipe/db';
import { CHAT_STATE_TTL_SECONDS, finalDoneKey } from '@callpipe/telegram';

/** Marks the chat done for the call; when every active recipient is, the hangups get telegram_sent. */
export async function markFinalDelivered(
  db: Kysely<Database>, redis: Redis, prefix: string, callId: string, chatId: string, recipients: readonly string[], hangupKeys: readonly string[],
): Promise<boolean> {
  const key = finalDoneKey(prefix, callId);
  const replies = await redis.multi().sadd(key, chatId).expire(key, CHAT_STATE_TTL_SECONDS).smembers(key).exec();
  const [err, members] = replies?.[2] ?? [new Error('transaction discarded'), null];
  if (err) throw err;
  const done = new Set(Array.isArray(members) ? members.map(String) : []);
  if (!recipients.every((r) => done.has(r)) || hangupKeys.length === 0) return false;
  await db.updateTable('call_events').set({ telegram_sent: true }).where('event_key', 'in', [...hangupKeys]).execute();
  return true;
}
