/**
 * The Bot API's HTTP: node:http(s) on a keep-alive agent instead of the global fetch. bench/pipeline's
 * workers profile put a third of a Telegram sync's CPU in undici and web streams (~0.8 ms a request
 * against ~0.35 ms this way, client and server measured in one process); the Bot API calls we make are
 * small url-encoded POSTs with a JSON answer, which need none of that machinery. `postForm` is the
 * message methods' own path (botMethods.ts); `botApiFetch` is the `fetch` node-telegram-bot-api is given
 * for the rest. Other bodies (a multipart upload, a stream) go to the global fetch.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

// No socket cap: every bot's long poll holds a socket for up to TELEGRAM_POLL_SECONDS, and a cap
// would queue the sends behind them.
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

function plainHeaders(h: RequestInit['headers']): Record<string, string> {
  if (!h) return {};
  if (h instanceof Headers || Array.isArray(h)) return Object.fromEntries(new Headers(h));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k] = typeof v === 'string' ? v : v.join(', ');
  return out;
}

function readAll(res: IncomingMessage, signal: AbortSignal | null | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let ended = false;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => { text += chunk; });
    res.on('end', () => { ended = true; resolve(text); });
    res.on('error', reject);
    // A timeout or a cut connection mid-body: the caller sees it as the failed request it is.
    res.on('close', () => { if (!ended) reject(signal?.aborted ? signal.reason : new Error('the answer was cut off')); });
  });
}

/** The request took longer than the caller allows (it may still have been applied). */
export class RequestTimedOut extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimedOut';
  }
}

/** Sends one request on the shared keep-alive agents; `response` settles once its headers are in. */
function send(url: string, method: string, headers: Record<string, string>, payload: string, signal?: AbortSignal | null): { req: ClientRequest; response: Promise<IncomingMessage> } {
  const https = url.startsWith('https:');
  const req = (https ? httpsRequest : httpRequest)(url, {
    method,
    agent: https ? httpsAgent : httpAgent,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) },
    ...(signal ? { signal } : {}),
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.on('error', reject);
  });
  req.end(payload);
  return { req, response };
}

/** POSTs a url-encoded body and answers the status and text; rejects on a transport failure, a cut answer or the timeout. */
export async function postForm(url: string, payload: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  const { req, response } = send(url, 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, payload);
  let timedOut = false;
  // One timer, not an AbortSignal joined to another: a request's whole life, headers and body.
  const timer = setTimeout(() => { timedOut = true; req.destroy(new RequestTimedOut(timeoutMs)); }, timeoutMs);
  try {
    const res = await response;
    return { status: res.statusCode ?? 502, text: await readAll(res, null) };
  } catch (err) {
    throw timedOut ? new RequestTimedOut(timeoutMs) : err;
  } finally {
    clearTimeout(timer);
  }
}

/** A `fetch` for string and url-encoded bodies; answers a real Response (status and content-type kept). */
export const botApiFetch: typeof fetch = async (input, init) => {
  const body = init?.body;
  if (typeof input !== 'string' || (body != null && typeof body !== 'string' && !(body instanceof URLSearchParams))) {
    return fetch(input, init);
  }
  const res = await send(input, init?.method ?? 'GET', plainHeaders(init?.headers), body == null ? '' : String(body), init?.signal).response;
  const text = await readAll(res, init?.signal);
  const contentType = res.headers['content-type'];
  // Response takes 200-599 only; other codes from a proxy are a bad gateway to the caller.
  const status = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode <= 599 ? res.statusCode : 502;
  return new Response(text, { status, headers: contentType ? { 'content-type': contentType } : {} });
};
