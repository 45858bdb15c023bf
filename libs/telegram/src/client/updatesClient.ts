/**
 * getUpdates for one bot (long polling: Telegram holds the request up to `timeoutS` until an update
 * arrives). Its own client, since a long poll outlives the send timeout; answers are classified like
 * every other Bot API answer and the token never leaves.
 */
import { Api } from 'node-telegram-bot-api';
import { answerOfError } from '../errors/answerOf.js';
import type { BotApiAnswer } from '../errors/classify.js';
import { botApiFetch } from './botHttp.js';

export type PollResult = { ok: true; updates: unknown[] } | { ok: false; answer: BotApiAnswer };

export class UpdatesClient {
  readonly #api: Api;

  constructor(token: string, apiRoot: string, private readonly timeoutS: number) {
    // The HTTP wait covers the long poll plus a margin for the network.
    this.#api = new Api(token, { apiRoot, timeoutMs: (timeoutS + 10) * 1000, maxRetries: 0, fetch: botApiFetch });
  }

  /** Updates from `offset` on (confirming the ones below it); only button presses are asked for. */
  async poll(offset: number | undefined, signal?: AbortSignal): Promise<PollResult> {
    try {
      const updates = await this.#api.getUpdates({ ...(offset === undefined ? {} : { offset }), timeout: this.timeoutS, allowed_updates: ['callback_query'] }, signal);
      return { ok: true, updates };
    } catch (err) {
      return { ok: false, answer: answerOfError(err) };
    }
  }
}
