/**
 * The message methods (sendMessage, deleteMessage, editMessageText) posted straight over node:http,
 * their answer read here: a sync's hot loop (~14 requests a call with two chats: issue 12). Through
 * node-telegram-bot-api's request path (its form encoding, an AbortSignal timeout joined to the
 * caller's, a web Response read back as text) a request cost the client ~205 µs of CPU against ~100 µs
 * this way (one process against a local server). The library still makes every other call (getMe,
 * webhooks, callback answers, getUpdates). The form is the one the library sends: scalars as text,
 * objects (reply_markup, link_preview_options) as JSON.
 */
import { scrubBotTokens } from '@callpipe/logging';
import type { BotMethod } from '../botApi.js';
import type { BotApiAnswer } from '../errors/classify.js';
import { postForm, RequestTimedOut } from './botHttp.js';

/** A method call's outcome: its result, or the answer that was not ok. */
export type MethodOutcome<T> = { kind: 'ok'; value: T } | Exclude<BotApiAnswer, { kind: 'ok' }>;

export type FormValue = string | number | boolean | object | undefined;

/** The url-encoded form of a method's params (absent ones left out). */
export function formOf(params: Readonly<Record<string, FormValue>>): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    form.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  return form.toString();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * What an HTTP answer says (pure): the envelope's result or error (retry_after from its parameters);
 * a 5xx without an envelope is the server's error, every other answer without one a bad response.
 */
export function outcomeOfAnswer<T>(status: number, text: string): MethodOutcome<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isObject(body) && body.ok === true && 'result' in body) return { kind: 'ok', value: body.result as T };
  if (isObject(body) && body.ok === false && typeof body.error_code === 'number') {
    const retryAfter = isObject(body.parameters) && typeof body.parameters.retry_after === 'number' ? body.parameters.retry_after : undefined;
    return {
      kind: 'api', errorCode: body.error_code, description: scrubBotTokens(typeof body.description === 'string' ? body.description : `error ${body.error_code}`),
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
    };
  }
  if (status >= 500) return { kind: 'api', errorCode: status, description: `HTTP ${status} without a Bot API answer` };
  return { kind: 'bad-response', description: `HTTP ${status}: not a Bot API answer` };
}

/** Calls one method; never throws: a transport failure or timeout is its outcome (texts without the token). */
export async function callBotMethod<T>(
  apiRoot: string, token: string, method: BotMethod, params: Readonly<Record<string, FormValue>>, timeoutMs: number,
): Promise<MethodOutcome<T>> {
  try {
    const { status, text } = await postForm(`${apiRoot}/bot${token}/${method}`, formOf(params), timeoutMs);
    return outcomeOfAnswer<T>(status, text);
  } catch (err) {
    const description = scrubBotTokens(err instanceof Error ? err.message : String(err));
    return err instanceof RequestTimedOut ? { kind: 'timeout', description } : { kind: 'network', description };
  }
}
