import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiFetch } from './botHttp.js';

const received: { method: string; url: string; type: string | undefined; body: string }[] = [];
let server: Server;
let base = '';

function handle(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => { body += c; });
  req.on('end', () => {
    received.push({ method: req.method ?? '', url: req.url ?? '', type: req.headers['content-type'], body });
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
    if (req.url === '/cut') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"ok":');
      return void setTimeout(() => res.destroy(), 20);
    }
    if (req.url === '/busy') {
      res.writeHead(429, { 'content-type': 'application/json' });
      return void res.end('{"ok":false,"error_code":429,"description":"Flood control exceeded. Retry in 3 seconds","parameters":{"retry_after":3}}');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, result: { echo: body } }));
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('botApiFetch (the Bot API client\'s HTTP)', () => {
  it('posts a url-encoded body as it is and answers the status, type and text', async () => {
    const res = await botApiFetch(`${base}/botX/sendMessage`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['chat_id', '-100'], ['text', 'Входящий звонок +375 29 …']]),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const sent = received.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', url: '/botX/sendMessage', type: 'application/x-www-form-urlencoded' });
    expect(new URLSearchParams(sent.body).get('text')).toBe('Входящий звонок +375 29 …');
    expect(JSON.parse(await res.text())).toEqual({ ok: true, result: { echo: sent.body } });
  });

  it('answers an error status with its body (the classifier reads retry_after from it)', async () => {
    const res = await botApiFetch(`${base}/busy`, { method: 'POST', body: 'chat_id=1' });
    expect(res.status).toBe(429);
    expect((JSON.parse(await res.text()) as { parameters: { retry_after: number } }).parameters.retry_after).toBe(3);
  });

  it('gives up at the signal: a timeout rejects as one', async () => {
    const started = Date.now();
    const err = await botApiFetch(`${base}/slow`, { method: 'POST', body: '', signal: AbortSignal.timeout(150) }).catch((e: unknown) => e);
    expect(['AbortError', 'TimeoutError']).toContain((err as Error).name);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('rejects an answer cut off mid-body instead of handing on half of it', async () => {
    const err = await botApiFetch(`${base}/cut`, { method: 'POST', body: '' }).then((r) => r.text()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });

  it('leaves what it does not handle (a URL object, a Blob body) to the global fetch', async () => {
    const res = await botApiFetch(new URL(`${base}/botX/getMe`), { method: 'POST', body: new Blob(['a=1']) });
    expect(res.status).toBe(200);
    expect(received.at(-1)!.body).toBe('a=1');
  });
});
