/**
 * The Bot API's HTTP (`GET|POST /bot<token>/<method>`, JSON / form / query params) on node:http alone,
 * ahead of express: bench/pipeline's Telegram phase sends a request per message, and the sandbox's
 * express chain (routers of every stand-in, body parsers, ETag) cost ~1 ms of this machine's CPU a
 * request — CPU that Telegram, not our system, would spend. Answers are the same envelopes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from './methods.js';
import type { TelegramSandbox } from './telegramSandbox.js';

/** Telegram's own path shape: /bot<token>/<method>. */
export const BOT_API_PATH = /^\/bot([^/?]+)\/([^/?]+)\/?$/;

const BODY_LIMIT = 1024 * 1024;

const INVALID_BODY = { ok: false, error_code: 400, description: 'Bad Request: invalid request body' } as const;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= BODY_LIMIT) chunks.push(c);
    });
    req.on('end', () => resolve(size > BODY_LIMIT ? 'too-large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The body's params by its content type; null when it does not parse. A type we do not read adds nothing. */
function bodyParams(contentType: string, text: string): Params | null {
  if (contentType.includes('application/json')) {
    if (text.trim() === '') return {};
    try {
      const v: unknown = JSON.parse(text);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Params) : {};
    } catch {
      return null;
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return {};
}

/** Answers a Bot API request and returns true; false (nothing written) for every other path. */
export function handleBotApi(sandbox: TelegramSandbox, req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const m = BOT_API_PATH.exec(q < 0 ? url : url.slice(0, q));
  if (!m || (req.method !== 'GET' && req.method !== 'POST')) return false;
  const query: Params = q < 0 ? {} : Object.fromEntries(new URLSearchParams(url.slice(q + 1)));
  const token = m[1]!;
  const method = m[2]!;
  const answer = async (): Promise<void> => {
    let params = query;
    if (req.method === 'POST') {
      const text = await readBody(req);
      const body = text === 'too-large' ? null : bodyParams(String(req.headers['content-type'] ?? ''), text);
      if (!body) return reply(res, 400, INVALID_BODY);
      params = { ...query, ...body };
    }
    let names: [string, string];
    try {
      names = [decodeURIComponent(token), decodeURIComponent(method)];
    } catch {
      return reply(res, 400, INVALID_BODY);
    }
    const a = await sandbox.call(names[0], names[1], params);
    reply(res, a.status, a.body);
  };
  answer().catch((err: Error) => {
    if (!res.headersSent) reply(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${err.message}` });
  });
  return true;
}
