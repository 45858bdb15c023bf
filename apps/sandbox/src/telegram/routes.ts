/**
 * HTTP of the sandbox Telegram: the Bot API at Telegram's own paths (`/bot<token>/<method>`, GET or
 * POST, JSON / form / query params), so TELEGRAM_API_BASE can point at this server (served on node:http
 * before express sees the request: botApiHttp.ts, ../sandbox.ts sandboxHandler); and the admin API under /_sandbox/telegram (faults, limits, clock,
 * reset, the call record, the chats).
 */
import express, { Router } from 'express';
import { parseFaults } from './faults.js';
import { parseLimits } from './limits.js';
import { telegramPage } from './page.js';
import type { StoredMessage } from './state.js';
import type { TelegramSandbox } from './telegramSandbox.js';

function optionalInt(v: unknown): number | undefined {
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

function view(m: StoredMessage): Record<string, unknown> {
  return {
    bot_id: m.botId, chat_id: m.chatId, message_id: m.messageId, text: m.text,
    sent_at: new Date(m.sentAtMs).toISOString(), ...(m.editedAtMs === undefined ? {} : { edited_at: new Date(m.editedAtMs).toISOString() }),
    ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
  };
}

export function adminRoutes(sandbox: TelegramSandbox): Router {
  const router = Router();
  router.use('/_sandbox/telegram', express.json());

  router.get('/telegram', (_req, res) => { res.type('html').send(telegramPage()); });

  router.get('/_sandbox/telegram/faults', (_req, res) => { res.json(sandbox.faults); });
  router.post('/_sandbox/telegram/faults', (req, res) => {
    const next = parseFaults(req.body, sandbox.faults);
    if (typeof next === 'string') {
      res.status(400).json({ error: next });
      return;
    }
    sandbox.faults = next;
    res.json(next);
  });

  router.get('/_sandbox/telegram/limits', (_req, res) => { res.json(sandbox.flood.limits); });
  router.post('/_sandbox/telegram/limits', (req, res) => {
    const next = parseLimits(req.body, sandbox.flood.limits);
    if (typeof next === 'string') {
      res.status(400).json({ error: next });
      return;
    }
    sandbox.flood.reset(next);
    res.json(next);
  });

  router.post('/_sandbox/telegram/clock', (req, res) => {
    const shift = (req.body as { shiftSeconds?: unknown } | undefined)?.shiftSeconds;
    if (typeof shift !== 'number' || !Number.isFinite(shift)) {
      res.status(400).json({ error: 'shiftSeconds must be a number' });
      return;
    }
    const offsetMs = sandbox.state.shiftClock(shift * 1000);
    res.json({ now: new Date(sandbox.state.now()).toISOString(), offsetSeconds: offsetMs / 1000 });
  });

  router.post('/_sandbox/telegram/reset', (_req, res) => {
    sandbox.reset();
    res.json({ ok: true });
  });

  router.get('/_sandbox/telegram/calls', (req, res) => {
    const chatId = optionalInt(req.query.chat_id);
    const method = typeof req.query.method === 'string' ? req.query.method : undefined;
    const botId = typeof req.query.bot_id === 'string' ? req.query.bot_id : undefined;
    const limit = optionalInt(req.query.limit);
    const calls = sandbox.state.callLog({
      ...(chatId === undefined ? {} : { chatId }), ...(method === undefined ? {} : { method }), ...(botId === undefined ? {} : { botId }),
    });
    res.json(limit !== undefined && limit > 0 ? calls.slice(-limit) : calls);
  });

  // A button pressed: {chat_id, message_id, from_id?, first_name?, last_name?, data?, bot_id?} -> the callback query and its delivery.
  router.post('/_sandbox/telegram/press', (req, res, next) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const chatId = Number(b.chat_id);
    const messageId = Number(b.message_id);
    if (!Number.isSafeInteger(chatId) || !Number.isSafeInteger(messageId)) {
      res.status(400).json({ error: 'chat_id and message_id must be whole numbers' });
      return;
    }
    const fromId = b.from_id === undefined || b.from_id === '' ? undefined : Number(b.from_id);
    if (fromId !== undefined && !Number.isSafeInteger(fromId)) {
      res.status(400).json({ error: 'from_id must be a whole number' });
      return;
    }
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const first = str(b.first_name); const last = str(b.last_name); const data = str(b.data); const botId = str(b.bot_id);
    sandbox.press({
      chatId, messageId, ...(fromId === undefined ? {} : { fromId }), ...(first ? { fromFirstName: first } : {}),
      ...(last ? { fromLastName: last } : {}), ...(data ? { data } : {}), ...(botId ? { botId } : {}),
    }).then((r) => {
      if (typeof r === 'string') res.status(404).json({ error: r });
      else res.json(r);
    }).catch(next);
  });

  // The presses and the bot's answers (answerCallbackQuery), newest last; one by its callback_query id.
  router.get('/_sandbox/telegram/callbacks', (_req, res) => { res.json([...sandbox.updates.callbacks.values()]); });
  router.get('/_sandbox/telegram/callbacks/:id', (req, res) => {
    const r = sandbox.updates.callbacks.get(req.params.id);
    if (!r) res.status(404).json({ error: 'no such callback query' });
    else res.json(r);
  });
  router.get('/_sandbox/telegram/webhooks/:botId', (req, res) => { res.json(sandbox.updates.webhookInfo(req.params.botId)); });

  router.get('/_sandbox/telegram/chats', (_req, res) => {
    res.json(sandbox.state.chatList().map((c) => ({
      bot_id: c.botId, chat_id: c.chatId, messages: c.messages.map(view),
    })));
  });

  router.get('/_sandbox/telegram/chats/:chatId/messages', (req, res) => {
    const chatId = optionalInt(req.params.chatId);
    if (chatId === undefined) {
      res.status(400).json({ error: 'chat id must be a whole number' });
      return;
    }
    const botId = typeof req.query.bot_id === 'string' ? req.query.bot_id : undefined;
    res.json(sandbox.state.messages(chatId, botId).map(view));
  });
  return router;
}
