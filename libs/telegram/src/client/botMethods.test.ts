import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callBotMethod, formOf, outcomeOfAnswer } from './botMethods.js';

const TOKEN = '123456:AAE-secret-part-of-the-token-xyz';

describe('the message methods\' form and answers (pure)', () => {
  it('writes scalars as text and objects as JSON, leaving absent params out, as node-telegram-bot-api does', () => {
    const form = new URLSearchParams(formOf({ chat_id: -100, text: 'Звонок +375 29 …', link_preview_options: { is_disabled: true }, reply_markup: undefined, flag: false }));
    expect([...form.keys()]).toEqual(['chat_id', 'text', 'link_preview_options', 'flag']);
    expect(form.get('chat_id')).toBe('-100');
    expect(form.get('text')).toBe('Звонок +375 29 …');
    expect(JSON.parse(form.get('link_preview_options')!)).toEqual({ is_disabled: true });
    expect(form.get('flag')).toBe('false');
  });

  it('reads the envelope: the result, an error with retry_after, a 5xx or a page that is not an envelope', () => {
    expect(outcomeOfAnswer(200, '{"ok":true,"result":{"message_id":7}}')).toEqual({ kind: 'ok', value: { message_id: 7 } });
    expect(outcomeOfAnswer(200, '{"ok":true,"result":true}')).toEqual({ kind: 'ok', value: true });
    expect(outcomeOfAnswer(429, '{"ok":false,"error_code":429,"description":"Flood control exceeded. Retry in 3 seconds","parameters":{"retry_after":3}}'))
      .toEqual({ kind: 'api', errorCode: 429, description: 'Flood control exceeded. Retry in 3 seconds', retryAfterSeconds: 3 });
    expect(outcomeOfAnswer(403, '{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}'))
      .toEqual({ kind: 'api', errorCode: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(outcomeOfAnswer(502, '<html>Bad Gateway</html>')).toMatchObject({ kind: 'api', errorCode: 502 });
    expect(outcomeOfAnswer(200, '<html>captive portal</html>')).toMatchObject({ kind: 'bad-response' });
    expect(outcomeOfAnswer(200, '{"ok":true}')).toMatchObject({ kind: 'bad-response' });
    // A token quoted back in a description never leaves in the clear.
    expect(JSON.stringify(outcomeOfAnswer(404, `{"ok":false,"error_code":404,"description":"Not Found: /bot${TOKEN}/x"}`))).not.toContain('secret-part');
  });
});

describe('callBotMethod over HTTP', () => {
  let server: Server;
  let base = '';
  const seen: { url: string; type: string | undefined; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => { body += c; });
      req.on('end', () => {
        seen.push({ url: req.url ?? '', type: req.headers['content-type'], body });
        if (body === 'mode=slow') return void setTimeout(() => res.end('{"ok":true,"result":true}'), 1500);
        if (body === 'mode=cut') {
          res.writeHead(200, { 'content-length': '100' });
          res.write('{"ok":');
          return void setTimeout(() => res.destroy(), 20);
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result: { message_id: 42 } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts the form to /bot<token>/<method> and answers the result', async () => {
    expect(await callBotMethod(base, TOKEN, 'sendMessage', { chat_id: 5, text: 'hi' }, 2000)).toEqual({ kind: 'ok', value: { message_id: 42 } });
    expect(seen.at(-1)).toEqual({ url: `/bot${TOKEN}/sendMessage`, type: 'application/x-www-form-urlencoded', body: 'chat_id=5&text=hi' });
  });

  it('a slow answer is a timeout, a cut one and a refused connection network failures; no text holds the token', async () => {
    const started = Date.now();
    const slow = await callBotMethod(base, TOKEN, 'sendMessage', { mode: 'slow' }, 200);
    expect(slow.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1200);
    expect((await callBotMethod(base, TOKEN, 'sendMessage', { mode: 'cut' }, 2000)).kind).toBe('network');
    const refused = await callBotMethod('http://127.0.0.1:9', TOKEN, 'sendMessage', {}, 2000);
    expect(refused.kind).toBe('network');
    expect(JSON.stringify([slow, refused])).not.toContain('secret-part');
  });
});
