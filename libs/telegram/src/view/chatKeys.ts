/** Redis keys the workers and the gateway share for what each chat shows. */

/** The old system's phone:chat map (POST /telegram/message, GET/DELETE /telegram/last-message). */
export const lastMessageKey = (prefix: string, phone: string, chatId: string): string => `${prefix}:tg:last:${phone}:${chatId}`;
/** What a chat shows for one call: {messageId, text, stage}; a tombstone once the call ended. */
export const shownKey = (prefix: string, chatId: string, callId: string): string => `${prefix}:tg:shown:${chatId}:${callId}`;
/** One sync at a time per chat and call. */
export const syncLockKey = (prefix: string, chatId: string, callId: string): string => `${prefix}:tg:lock:${chatId}:${callId}`;
/** Chats that got a call's final message (telegram_sent once it covers every recipient). */
export const finalDoneKey = (prefix: string, callId: string): string => `${prefix}:tg:final:${callId}`;
/** Both maps live an hour, as in the old system. */
export const CHAT_STATE_TTL_SECONDS = 3600;
