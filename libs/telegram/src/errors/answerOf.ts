/**
 * Maps what node-telegram-bot-api threw to a BotApiAnswer. Every text that leaves here has bot tokens
 * scrubbed: a library or runtime message may quote the request URL, which holds the token.
 */
import { NetworkError, ParseError, TelegramApiError, TimeoutError } from 'node-telegram-bot-api';
import { scrubBotTokens } from '@callpipe/logging';
import type { BotApiAnswer } from './classify.js';

function messageOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return scrubBotTokens(`${err.message}${cause}`);
  }
  return scrubBotTokens(String(err));
}

export function answerOfError(err: unknown): Exclude<BotApiAnswer, { kind: 'ok' }> {
  if (err instanceof TelegramApiError) {
    return {
      kind: 'api', errorCode: err.errorCode, description: scrubBotTokens(err.description),
      ...(err.retryAfter === undefined ? {} : { retryAfterSeconds: err.retryAfter }),
    };
  }
  if (err instanceof TimeoutError) return { kind: 'timeout', description: messageOf(err) };
  if (err instanceof ParseError) return { kind: 'bad-response', description: messageOf(err) };
  if (err instanceof NetworkError) return { kind: 'network', description: messageOf(err) };
  // Anything else thrown on the way (fetch's own TypeError, an abort) is a transport failure too.
  return { kind: 'network', description: messageOf(err) };
}
