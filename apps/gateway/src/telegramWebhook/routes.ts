/**
 * POST /telegram/webhook/:botId — where Telegram posts a bot's updates once the workers registered
 * the webhook (setWebhook with the bot's secret_token). The header X-Telegram-Bot-Api-Secret-Token
 * must match (403 otherwise, and always while TELEGRAM_WEBHOOK_SECRET is unset). A button press
 * (callback_query) becomes one `telegram-updates` job (job id per bot and update_id: a redelivery is
 * handled once); any other update is acknowledged and dropped. Redis unreachable: 503, so Telegram
 * delivers it again later.
 */
import express, { Router } from 'express';
import type { Logger } from '@callpipe/logging';
import { telegramUpdateJobId, telegramUpdateJobOf, type Producers } from '@callpipe/queues';
import { isWebhookSecret, WEBHOOK_SECRET_HEADER } from '@callpipe/telegram';

export const TELEGRAM_WEBHOOK_ROUTE = '/telegram/webhook/:botId';

export function telegramWebhookRoutes(secret: string | undefined, producers: Producers, log: Logger): Router {
  const router = Router();
  router.post(TELEGRAM_WEBHOOK_ROUTE, (req, res, next) => {
    const botId = req.params.botId;
    if (!/^\d{1,20}$/.test(botId)) {
      res.status(404).json({ ok: false, error: 'not_found', message: 'no such bot' });
      return;
    }
    // Checked before the body is read: a caller without the secret costs us nothing.
    if (!secret || !isWebhookSecret(secret, botId, req.get(WEBHOOK_SECRET_HEADER))) {
      log.warn({ botId, hasHeader: req.get(WEBHOOK_SECRET_HEADER) !== undefined }, 'telegram webhook refused: wrong or missing secret token');
      res.status(403).json({ ok: false, error: 'forbidden', message: 'wrong or missing X-Telegram-Bot-Api-Secret-Token' });
      return;
    }
    next();
  }, express.json({ limit: '64kb' }), async (req, res) => {
    const botId = req.params.botId as string;
    const job = telegramUpdateJobOf(botId, req.body, 'webhook');
    if (!job) {
      res.json({ ok: true, handled: false });
      return;
    }
    try {
      await producers.add('telegramUpdates', 'callback_query', job, { jobId: telegramUpdateJobId(botId, job.updateId) });
      res.json({ ok: true, handled: true });
    } catch (err) {
      log.warn({ err, botId, updateId: job.updateId }, 'telegram update not queued; Telegram will deliver it again');
      res.status(503).json({ ok: false, error: 'unavailable', message: 'the update could not be queued; retry' });
    }
  });
  return router;
}
