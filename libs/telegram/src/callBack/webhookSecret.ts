/**
 * Each bot's webhook secret_token, derived from TELEGRAM_WEBHOOK_SECRET and the bot's id (HMAC-SHA256,
 * base64url: 43 characters of Telegram's allowed A-Z a-z 0-9 _ -). The workers register it with
 * setWebhook; the gateway recomputes it to check X-Telegram-Bot-Api-Secret-Token. One leaked bot's
 * token does not reveal another's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export function webhookSecretToken(secret: string, botId: string): string {
  return createHmac('sha256', secret).update(`telegram-webhook:${botId}`).digest('base64url');
}

/** Constant-time check of the header Telegram sent. */
export function isWebhookSecret(secret: string, botId: string, given: string | undefined): boolean {
  if (!given) return false;
  const want = Buffer.from(webhookSecretToken(secret, botId));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** The path of a bot's webhook on the gateway. */
export const webhookPath = (botId: string): string => `/telegram/webhook/${botId}`;
