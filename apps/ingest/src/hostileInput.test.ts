import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventJob } from '@callpipe/queues';
import { startIngest } from '../../../test/support/ingestServer.js';
import { listen } from '../../../test/support/listen.js';
import { testConfig, testLogger } from '../../../test/support/testEnv.js';
import { errorHandler, jsonClientError } from './routes/finalHandlers.js';

const TOKEN = '375293332255';
const dial = { Token: TOKEN, UniqueId: '1759230684.16', Phone: '375296254070', CallType: '0' };

/** The raw answer: status, content type and text, so a non-JSON page cannot hide behind a parser. */
async function send(base: string, path: string, init: RequestInit = {}): Promise<{ status: number; type: string; text: string; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  expect(type, `${init.method ?? 'GET'} ${path} answers JSON`).toMatch(/^application\/json/);
  return { status: res.status, type, text, json: JSON.parse(text) as Record<string, unknown> };
}

const post = (base: string, path: string, body: string, contentType = 'application/json') =>
  send(base, path, { method: 'POST', headers: { 'content-type': contentType }, body });

/** `{"x":{"x":…}}` n levels deep, as text (no recursion to build it either). */
const deepJson = (n: number) => `${'{"x":'.repeat(n)}1${'}'.repeat(n)}`;

describe('ingest under hostile input: every answer is JSON, no 500', () => {
  const config = testConfig({ INGEST_BODY_LIMIT_BYTES: '65536' });
  let base: string;
  let queue: Queue<EventJob>;
  let stop: () => Promise<void>;
  const count = async () => Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).reduce((a, b) => a + b, 0);

  beforeAll(async () => { ({ base, queue, stop } = await startIngest(config, new Map([[TOKEN, '0367']]))); });
  afterAll(async () => stop());

  it('refuses an extra field nested 5,000 objects deep with 400 naming it, on every resend', async () => {
    const body = `{"Token":"${TOKEN}","UniqueId":"1.1","Phone":"1","CallType":0,"Extra":${deepJson(5000)}}`;
    expect(body.length).toBeLessThan(65536);
    for (let i = 0; i < 3; i += 1) {
      const r = await post(base, '/dial', body);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ status: 'error', error: 'invalid_event', field: 'Extra' });
    }
    expect(await count()).toBe(0);
  });

  it('refuses a body of 5,000 nested arrays and a body with thousands of keys', async () => {
    const arrays = `{"Token":"${TOKEN}","UniqueId":"1.1","Phone":"1","CallType":0,"L":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect((await post(base, '/dial', arrays)).json).toMatchObject({ error: 'invalid_event', field: 'L' });
    const wide = JSON.stringify({ ...dial, ...Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, 1])) });
    expect((await post(base, '/dial', wide)).json).toMatchObject({ error: 'invalid_event', field: '(body)' });
  });

  // PostgreSQL's jsonb cannot hold these; acked, they would be refused by the database on every retry.
  it.each([
    ['a NUL escape', `{"Token":"${TOKEN}","UniqueId":"1.1","Phone":"1","CallType":0,"CallerIDName":"a\\u0000b"}`, 'CallerIDName'],
    ['a lone high surrogate', `{"Token":"${TOKEN}","UniqueId":"1.1","Phone":"1","CallType":0,"Trunk":"x\\ud83d"}`, 'Trunk'],
    ['a lone low surrogate in a list', `{"Token":"${TOKEN}","UniqueId":"1.1","Phone":"1","CallType":0,"Extensions":["101","\\udc00"]}`, 'Extensions.1'],
    ['a NUL in a key', `{"Token":"${TOKEN}","UniqueId":"1.1","Phone":"1","CallType":0,"k\\u0000":1}`, '(body)'],
  ])('refuses a body with %s with 400 naming the field, queueing nothing', async (_what, body, field) => {
    const r = await post(base, '/dial', body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ status: 'error', error: 'invalid_event', field });
    expect(await count()).toBe(0);
  });

  it.each([
    ['GET on an event path', '/dial', { method: 'GET' }, 404, 'not_found'],
    ['a path under an event', '/dial/extra', { method: 'POST', body: '{}' }, 404, 'not_found'],
    ['an unknown path', '/nope/at/all', { method: 'POST', body: '{}' }, 404, 'not_found'],
    ['a bad URI escape as the event', '/%ZZ', { method: 'POST', body: '{}' }, 400, 'unknown_event'],
    ['a bad URI escape under /recovery', '/recovery/%E0%A4%A', { method: 'POST', body: '{}' }, 400, 'unknown_event'],
    ['a DELETE', '/hangup', { method: 'DELETE' }, 404, 'not_found'],
  ] as const)('answers %s with JSON', async (_what, path, init, status, error) => {
    const r = await send(base, path, init);
    expect(r.status).toBe(status);
    expect(r.json).toMatchObject({ status: 'error', error });
  });

  it.each([
    ['a truncated body', '{"Token": "375293332255", "UniqueId": "1.', 'application/json', 'malformed_json'],
    ['a form body', 'Token=375293332255&UniqueId=1.1', 'application/x-www-form-urlencoded', 'malformed_json'],
    ['JSON null', 'null', 'application/json', 'invalid_event'],
    ['a JSON string', '"dial"', 'text/plain', 'invalid_event'],
  ])('answers %s with a JSON 400', async (_what, body, type, error) => {
    const r = await post(base, '/dial', body, type);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ status: 'error', error });
  });

  it('answers bytes that are not UTF-8 with a JSON 400', async () => {
    const r = await send(base, '/dial', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0xff, 0xfe, 0x7b, 0x80]) });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: 'malformed_json' });
  });

  it('answers an oversized body with a JSON 413', async () => {
    const r = await post(base, '/dial', JSON.stringify({ ...dial, Pad: 'x'.repeat(70_000) }));
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: 'body_too_large' });
  });

  it('accepts a valid event posted with a wrong content type (hosts post JSON whatever the header)', async () => {
    const r = await post(base, '/dial', JSON.stringify({ ...dial, UniqueId: '1.77' }), 'text/plain');
    expect(r.status).toBe(200);
  });
});

describe('the ingest error handler', () => {
  it('answers a thrown error with a JSON 500 that shows no stack and no path, in any NODE_ENV', async () => {
    const app = express();
    app.post('/boom', () => { throw new Error(`failed at ${import.meta.filename}`); });
    app.use(errorHandler(testLogger()));
    const { base, close } = await listen(app);
    try {
      const r = await send(base, '/boom', { method: 'POST' });
      expect(r.status).toBe(500);
      expect(r.json).toEqual({ status: 'error', error: 'internal', message: 'the event could not be handled; it was not queued' });
      expect(r.text).not.toMatch(/\/work|\.ts|at /);
    } finally {
      await close();
    }
  });
});

/** Raw bytes to a server, the whole answer back as text. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (d) => { out += String(d); });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('requests the HTTP parser cannot read', () => {
  it.each([
    ['a bad Content-Length', 'POST /dial HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n', 400],
    ['a garbled request line', 'HELLO THERE\r\n\r\n', 400],
    ['headers too large', `GET /health HTTP/1.1\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ])('answers %s with a JSON error', async (_what, bytes, status) => {
    const server = createServer(express());
    server.on('clientError', jsonClientError);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const answer = await rawExchange((server.address() as AddressInfo).port, bytes);
      expect(answer.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
      expect(answer).toMatch(/content-type: application\/json/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 'error', error: 'bad_request' });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
