import type { AsteriskEvent } from '@callpipe/events';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCall } from './generateCall.js';
import { PATTERNS } from './patterns/index.js';
import { sendCalls } from './sender.js';
import { startTestServer, type TestServer } from './testServer.js';
import type { GeneratedCall } from './types.js';

const makeCalls = (n: number, ids = PATTERNS.map((p) => p.id)): GeneratedCall[] =>
  Array.from({ length: n }, (_, i) => generateCall(ids[i % ids.length]!, {
    token: '375293332255', seed: 9, callIndex: i, startTime: new Date('2025-11-06T11:00:00Z'),
  }));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const quiet = () => {};

describe('sendCalls', () => {
  it('delivers every event of every call, each call in order, many calls interleaved', async () => {
    server = await startTestServer();
    const calls = makeCalls(PATTERNS.length);
    const progress: string[] = [];
    const summary = await sendCalls(calls, {
      baseUrl: server.url, rate: 200, concurrency: 8, speed: 5_000, progressIntervalMs: 50, onProgress: (l) => progress.push(l),
    });

    const planned = calls.reduce((n, c) => n + c.events.length, 0);
    expect(summary).toMatchObject({
      calls: calls.length, callsStarted: calls.length, callsCompleted: calls.length,
      eventsPlanned: planned, sent: planned, acked: planned, errors: {}, notSent: 0, timedOut: false,
    });
    expect(summary.eventsPerSec).toBeGreaterThan(0);
    expect(server.received).toHaveLength(planned);

    // Attribute each received event to its call by its ids, then compare with what the call holds.
    const owner = new Map<string, number>();
    calls.forEach((c, i) => c.records.flatMap((x) => [...x.uniqueIds, ...x.bridgeUniqueIds]).forEach((id) => owner.set(id, i)));
    const perCall = calls.map(() => [] as { type: string; body: unknown }[]);
    for (const r of server.received) {
      const body = r.body as AsteriskEvent;
      const i = owner.get(body.UniqueId ?? body.BridgeUniqueid ?? '');
      expect(i, JSON.stringify(body)).toBeDefined();
      perCall[i!]!.push({ type: r.path.slice(1), body });
    }
    calls.forEach((c, i) => expect(perCall[i], c.patternId).toEqual(c.events.map((e) => ({ type: e.type, body: e.body }))));

    // Calls overlapped: some call's event arrived between two events of another call.
    const order = server.received.map((r) => owner.get((r.body as AsteriskEvent).UniqueId ?? (r.body as AsteriskEvent).BridgeUniqueid ?? ''));
    expect(order.some((c, k) => k > 1 && c !== order[k - 1] && order.slice(k + 1).includes(order[k - 1]))).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatch(/sent \d+ acked \d+ errors \d+ [\d.]+ events\/s/);
  });

  it('counts errors by status and does not count a 200 without the ACK body as acked', async () => {
    server = await startTestServer((r) => {
      if (r.path === '/hangup') return { status: 500, body: { status: 'error' } };
      if (r.path === '/new_callerid') return { status: 200, body: { ok: true } };
      return { status: 200, body: { status: 'ok', message: 'Event queued for processing' } };
    });
    const calls = makeCalls(3, ['1-1']);
    const s = await sendCalls(calls, { baseUrl: server.url, rate: 100, concurrency: 3, speed: 10_000, onProgress: quiet });
    expect(s.sent).toBe(27);
    expect(s.errors).toEqual({ 500: 3, '200 not ACK': 3 });
    expect(s.acked).toBe(21);
  });

  it('reports timeouts and unreachable services', async () => {
    server = await startTestServer(() => ({ status: 200, body: {}, delayMs: 300 }));
    const slow = await sendCalls(makeCalls(1, ['1-6']), {
      baseUrl: server.url, rate: 10, concurrency: 1, speed: 10_000, requestTimeoutMs: 50, onProgress: quiet,
    });
    expect(slow.errors).toEqual({ timeout: 3 });
    const url = server.url;
    await server.close();
    server = undefined;
    const down = await sendCalls(makeCalls(1, ['1-6']), { baseUrl: url, rate: 10, concurrency: 1, speed: 10_000, onProgress: quiet });
    // A pooled keep-alive socket to the closed server may fail first as a socket error.
    expect(Object.keys(down.errors).every((k) => k.startsWith('network'))).toBe(true);
    expect(Object.keys(down.errors)).toContain('network ECONNREFUSED');
    expect(down.acked).toBe(0);
  });

  it('stops at the time bound and says how much was not sent', async () => {
    server = await startTestServer();
    const calls = makeCalls(20, ['2-18']);
    const t0 = Date.now();
    const s = await sendCalls(calls, { baseUrl: server.url, rate: 20, concurrency: 5, speed: 1, maxDurationMs: 300, onProgress: quiet });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(s.timedOut).toBe(true);
    expect(s.sent + s.notSent).toBe(s.eventsPlanned);
    expect(s.notSent).toBeGreaterThan(0);
    // Calls are due every 50 ms, so only those due before the 300 ms bound may start.
    expect(s.callsStarted).toBeLessThanOrEqual(7);
    expect(s.callsCompleted).toBe(0);
    expect(server.received).toHaveLength(s.sent);
  });

  it('keeps at most `concurrency` calls in flight and posts under a base path', async () => {
    server = await startTestServer();
    const calls = makeCalls(6, ['1-3']);
    const active: number[] = [];
    const s = await sendCalls(calls, {
      baseUrl: `${server.url}/ingest/`, rate: 1_000, concurrency: 2, speed: 200, progressIntervalMs: 20,
      onProgress: (l) => active.push(Number(/active (\d+)/.exec(l)?.[1])),
    });
    expect(s.acked).toBe(60);
    expect(Math.max(...active)).toBeLessThanOrEqual(2);
    expect(server.received.every((r) => r.path.startsWith('/ingest/'))).toBe(true);
  });

  it('refuses nonsense options', async () => {
    await expect(sendCalls([], { baseUrl: 'ftp://x', rate: 1, concurrency: 1 })).rejects.toThrow(/http/);
    await expect(sendCalls([], { baseUrl: 'http://127.0.0.1:1', rate: 0, concurrency: 1 })).rejects.toThrow(/rate/);
    await expect(sendCalls([], { baseUrl: 'http://127.0.0.1:1', rate: 1, concurrency: 0 })).rejects.toThrow(/concurrency/);
  });
});
