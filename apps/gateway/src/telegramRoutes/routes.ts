/**
 * The old Telegram message map, kept for outside callers: POST /telegram/message, GET and DELETE
 * /telegram/last-message/{phone}/{chat_id}, with the old shapes, over the same Redis map the telegram
 * workers write (the live message of a call per phone and chat; the final message clears it).
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from '@callpipe/logging';
import { CHAT_STATE_TTL_SECONDS, lastMessageKey } from '@callpipe/telegram';

const PHONE = /^\+?\d{3,20}$/;
const CHAT = /^-?\d{1,20}$/;

interface Stored { message_id: number; event_type: string; timestamp: number }

/** The old cache key, as the old service showed it to callers. */
const cacheKey = (phone: string, chatId: string) => `${phone}:${chatId}`;

function badRequest(res: Response, field: string): void {
  res.status(400).json({ status: 'error', error: 'invalid_body', message: `${field} is missing or malformed`, field });
}

export function telegramRoutes(redis: Redis, prefix: string, log: Logger, auth: RequestHandler): Router {
  const router = Router();
  const json = express.json({ limit: '16kb', type: () => true });

  router.post('/telegram/message', auth, json, async (req: Request, res: Response) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const phone = String(b.phone ?? '');
    const chatId = String(b.chat_id ?? '');
    if (!PHONE.test(phone)) return badRequest(res, 'phone');
    if (!CHAT.test(chatId)) return badRequest(res, 'chat_id');
    if (typeof b.event_type !== 'string' || b.event_type === '') return badRequest(res, 'event_type');
    if (typeof b.message_id !== 'number' || !Number.isInteger(b.message_id)) return badRequest(res, 'message_id');
    const stored: Stored = { message_id: b.message_id, event_type: b.event_type, timestamp: Date.now() / 1000 };
    try {
      await redis.set(lastMessageKey(prefix, phone, chatId), JSON.stringify(stored), 'EX', CHAT_STATE_TTL_SECONDS);
    } catch (err) {
      log.warn({ err }, 'telegram message map: Redis refused the write');
      return res.status(503).json({ status: 'error', error: 'unavailable', message: 'Redis did not take the entry; resend it' });
    }
    return res.json({ status: 'ok', cache_key: cacheKey(phone, chatId), message_id: stored.message_id, event_type: stored.event_type });
  });

  router.get('/telegram/last-message/:phone/:chatId', auth, async (req: Request, res: Response) => {
    const { phone, chatId } = req.params as { phone: string; chatId: string };
    if (!PHONE.test(phone) || !CHAT.test(chatId)) return res.status(404).json({ error: 'No message found', cache_key: cacheKey(phone, chatId) });
    const raw = await redis.get(lastMessageKey(prefix, phone, chatId));
    if (!raw) return res.status(404).json({ error: 'No message found', cache_key: cacheKey(phone, chatId) });
    const stored = JSON.parse(raw) as Stored;
    return res.json({ message_id: stored.message_id, event_type: stored.event_type, timestamp: stored.timestamp });
  });

  router.delete('/telegram/last-message/:phone/:chatId', auth, async (req: Request, res: Response) => {
    const { phone, chatId } = req.params as { phone: string; chatId: string };
    if (PHONE.test(phone) && CHAT.test(chatId)) await redis.del(lastMessageKey(prefix, phone, chatId));
    return res.json({ status: 'deleted', cache_key: cacheKey(phone, chatId) });
  });

  return router;
}
