/**
 * Telegram's send limits as token buckets: which buckets one message to a chat draws from, and their
 * sizes. Pure; the Redis script applies them.
 */
import type { Bucket } from '@callpipe/ratelimit';
import { isGroupChat } from '../botApi.js';

/** The limits we keep under. Telegram's own: ~1 msg/s per chat (short bursts pass), 20/min per group, ~30/s per bot. */
export interface SendLimits {
  /** Steady spacing of messages in one chat (1000 = one a second). */
  chatIntervalMs: number;
  /** Messages one chat may take at once before the spacing applies. */
  chatBurst: number;
  groupPerMinute: number;
  botPerSecond: number;
}

export const TELEGRAM_SEND_LIMITS: SendLimits = { chatIntervalMs: 1000, chatBurst: 2, groupPerMinute: 20, botPerSecond: 30 };

/** One chat's bucket (a 429 holds this one). Keys name the bot by its numeric id, never its token. */
export function chatBucket(base: string, botId: string, chatId: number | string, limits: SendLimits): Bucket {
  return { key: `${base}:chat:${botId}:${chatId}`, capacity: limits.chatBurst, perMs: 1 / limits.chatIntervalMs };
}

/** Every bucket one message to this chat draws from: the bot's, the chat's, and the group's for groups. */
export function bucketsFor(base: string, botId: string, chatId: number | string, limits: SendLimits): Bucket[] {
  const buckets: Bucket[] = [
    { key: `${base}:bot:${botId}`, capacity: limits.botPerSecond, perMs: limits.botPerSecond / 1000 },
    chatBucket(base, botId, chatId, limits),
  ];
  if (isGroupChat(chatId)) {
    buckets.push({ key: `${base}:group:${botId}:${chatId}`, capacity: limits.groupPerMinute, perMs: limits.groupPerMinute / 60_000 });
  }
  return buckets;
}
