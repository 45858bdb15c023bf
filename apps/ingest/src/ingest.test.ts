import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_BODY } from '@callpipe/events';
import { queues, TokenStore, type EventJob, type EventPacketJob } from '@callpipe/queues';
import { getJson, postJson } from '../../../test/support/httpClient.js';
import { startIngest } from '../../../test/support/ingestServer.js';
import { freePort, listen } from '../../../test/support/listen.js';
import { testConfig, testLogger, waitFor } from '../../../test/support/testEnv.js';
import { createIngest, type Ingest } from './ingest.js';

const TOKEN = '375293332255';
const dial = (uid: string, extra: Record<string, unknown> = {}) =>
  ({ Token: TOKEN, UniqueId: uid, Phone: '375296254070', CallType: '0', Extensions: ['150'], Trunk: '0001363', ...extra });

describe('ingest against real Redis', () => {
  // A linger long enough that requests a few ms apart surely share a write on a loaded machine.
  const config = testConfig({ INGEST_BODY_LIMIT_BYTES: '2048', INGEST_LINGER_MS: '40' });
  let ingest: Ingest;
  let base: string;
  let redis: Redis;
  let queue: Queue<EventJob>;
  let packets: Queue<EventPacketJob>;
  let heldEvents: () => Promise<EventJob[]>;
  let stop: () => Promise<void>;

  /** Events queued, as events jobs or inside packets (requests that arrive together share a packet). */
  const jobCount = async () => (await heldEvents()).length;

  beforeAll(async () => { ({ ingest, base, redis, queue, packets, heldEvents, stop } = await startIngest(config, new Map([[TOKEN, '0367']]))); });
  afterAll(async () => stop());

  it('acks a valid event with the old body only after it is in the events queue, with the enterprise resolved', async () => {
    const reply = await postJson(base, '/dial', dial('1759230684.16'));
    expect(reply).toEqual({ status: 200, body: ACK_BODY });
    const [job] = await queue.getJobs(['waiting']);
    expect(job?.data).toMatchObject({ eventType: 'dial', enterprise: '0367', source: 'live', body: { UniqueId: '1759230684.16', CallType: 0 } });
    expect(job?.data.eventKey).toMatch(/^[0-9a-f]{40}$/);
  });

  it('queues a resend of the same content within the window once', async () => {
    const before = await jobCount();
    const body = dial('1759230700.01');
    const replies = await Promise.all([postJson(base, '/dial', body), postJson(base, '/dial', body), postJson(base, '/dial', { ...body })]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await jobCount()).toBe(before + 1);
    await postJson(base, '/dial', { ...body, Extensions: ['151'] });
    expect(await jobCount()).toBe(before + 2);
  });

  it('queues events that arrive together as one event-packets job, each once, whichever way a resend comes', async () => {
    const bodies = Array.from({ length: 6 }, (_, i) => dial(`1759230900.${i}`));
    const packetsBefore = new Set((await packets.getJobs(['waiting'])).map((p) => p.id));
    const before = await jobCount();
    const replies = await Promise.all(bodies.map((b) => postJson(base, '/dial', b)));
    expect(replies.map((r) => r.status)).toEqual(bodies.map(() => 200));
    const held = await heldEvents();
    expect(held.length).toBe(before + 6);
    // Requests read in one turn of the event loop were written together: at least one packet holds several.
    const made = (await packets.getJobs(['waiting'])).filter((p) => !packetsBefore.has(p.id));
    expect(made.some((p) => p.data.events.length >= 2)).toBe(true);
    expect(ingest.enqueue.counters.packets).toBeGreaterThan(0);
    for (const b of bodies) expect(held.filter((e) => e.body.UniqueId === b.UniqueId)).toHaveLength(1);
    // A resend alone (an events job) and resends together with a new event (a packet): only the new one is queued.
    expect((await postJson(base, '/dial', bodies[0]!)).status).toBe(200);
    const fresh = dial('1759230900.9');
    expect((await Promise.all([postJson(base, '/dial', bodies[1]!), postJson(base, '/dial', bodies[2]!), postJson(base, '/dial', fresh)])).map((r) => r.status)).toEqual([200, 200, 200]);
    const after = await heldEvents();
    expect(after.length).toBe(before + 7);
    expect(after.filter((e) => e.body.UniqueId === fresh.UniqueId)).toHaveLength(1);
  });

  it('holds the first event of a write for INGEST_LINGER_MS, so events a few ms apart share one packet', async () => {
    const [a, b] = [dial('1759231000.1'), dial('1759231000.2')];
    const packetsBefore = new Set((await packets.getJobs(['waiting'])).map((p) => p.id));
    const first = postJson(base, '/dial', a);
    await new Promise((r) => setTimeout(r, 10));
    const replies = await Promise.all([first, postJson(base, '/dial', b)]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    const made = (await packets.getJobs(['waiting'])).filter((p) => !packetsBefore.has(p.id));
    expect(made.map((p) => p.data.events.map((e) => e.body.UniqueId).sort())).toEqual([['1759231000.1', '1759231000.2']]);
  });

  it('stores events posted to /recovery/{event} with source recovery', async () => {
    expect((await postJson(base, '/recovery/hangup', { Token: TOKEN, UniqueId: '1759230800.5', CallStatus: 2, CallType: 1 })).status).toBe(200);
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.find((j) => j.data.body.UniqueId === '1759230800.5')?.data.source).toBe('recovery');
  });

  it.each([
    ['unknown token', '/dial', dial('1.1', { Token: 'nope' }), 403, { error: 'unknown_token' }],
    ['missing UniqueId', '/dial', { Token: TOKEN, Phone: '1', CallType: 0 }, 400, { error: 'invalid_event', field: 'UniqueId' }],
    ['bad CallType', '/hangup', { Token: TOKEN, UniqueId: '1.2', CallStatus: 2, CallType: 'in' }, 400, { error: 'invalid_event', field: 'CallType' }],
    ['malformed JSON', '/dial', '{"Token": "375293332255", ', 400, { error: 'malformed_json', field: '(body)' }],
    ['a JSON array', '/bridge', '[1,2]', 400, { error: 'invalid_event', field: '(body)' }],
    ['an oversized body', '/dial', dial('1.3', { Padding: 'x'.repeat(4096) }), 413, { error: 'body_too_large' }],
    ['an unknown event', '/transfer', dial('1.4'), 404, { error: 'unknown_event' }],
  ])('refuses %s and queues nothing', async (_what, path, body, status, expected) => {
    const before = await jobCount();
    const reply = await postJson(base, path, body);
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({ status: 'error', ...expected });
    expect(await jobCount()).toBe(before);
  });

  it('reports redis, spool and tokens on /health', async () => {
    const reply = await getJson(base, '/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'ok', redis: 'ready', spool: { writable: true }, tokens: { loaded: true, count: 1 } });
  });

  it('exports ack latency and outcomes per event type on /metrics', async () => {
    await postJson(base, '/bridge_create', { Token: TOKEN, BridgeUniqueid: 'metrics-b1' });
    await postJson(base, '/bridge_create', { Token: 'nope', BridgeUniqueid: 'metrics-b2' });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/callpipe_ingest_events_total\{event="bridge_create",result="queued"\} [1-9]/);
    expect(text).toMatch(/callpipe_ingest_events_total\{event="bridge_create",result="unknown_token"\} [1-9]/);
    expect(text).toMatch(/callpipe_ingest_ack_seconds_count\{event="bridge_create",result="queued"\} [1-9]/);
  });

  it('picks up a new enterprise token as soon as the token set changes', async () => {
    expect((await postJson(base, '/dial', dial('1.9', { Token: 'fresh-token' }))).status).toBe(403);
    await new TokenStore(redis, config.queuePrefix).replace(new Map([[TOKEN, '0367'], ['fresh-token', '0368']]));
    await waitFor(async () => ingest.tokens.lookup('fresh-token'), 'token cache to see the new token', 3000);
    expect((await postJson(base, '/dial', dial('1.9', { Token: 'fresh-token' }))).status).toBe(200);
  });
});

/**
 * An ingest whose Redis is a port where nothing listens, on a spool directory that already holds
 * a token snapshot (written by a first ingest that could reach the real Redis).
 */
async function ingestWithRedisDown(good: ReturnType<typeof testConfig>, redis: Redis): Promise<Ingest> {
  await new TokenStore(redis, good.queuePrefix).replace(new Map([[TOKEN, '0367']]));
  const primer = createIngest(good, testLogger());
  await primer.start();
  await primer.stop();
  const down = createIngest({ ...good, redisUrl: `redis://127.0.0.1:${await freePort()}` }, testLogger());
  await down.start();
  return down;
}

describe('ingest while Redis is unreachable', () => {
  it('acks into the disk spool, then replays the spool into the queue when Redis answers', async () => {
    const good = testConfig();
    const redis = new Redis(good.redisUrl);
    const down = await ingestWithRedisDown(good, redis);
    const { base, close } = await listen(down.app);
    const uids = Array.from({ length: 20 }, (_, i) => `1759231000.${i}`);
    const replies = await Promise.all(uids.map((u) => postJson(base, '/dial', dial(u))));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(down.enqueue.counters).toMatchObject({ spooled: 20, queued: 0 });
    const health = await getJson(base, '/health');
    expect(health.body).toMatchObject({ status: 'degraded', spool: { writable: true, openEvents: 20 } });
    await close();
    await down.stop();

    const files = readdirSync(good.ingestSpoolDir).filter((f) => f.endsWith('.open') || f.endsWith('.jsonl'));
    const lines = files.flatMap((f) => readFileSync(`${good.ingestSpoolDir}/${f}`, 'utf8').trim().split('\n'));
    expect(lines.map((l) => (JSON.parse(l) as EventJob).body.UniqueId)).toEqual(uids);

    // A new ingest on the same spool directory with Redis reachable drains it, in order.
    const up = createIngest(good, testLogger());
    await up.start();
    await waitFor(async () => (await up.drainer.tick(), up.drainer.counters.replayed === 20), 'spool drained', 10_000);
    const queue = new Queue<EventJob>(queues.events.name, { connection: redis, prefix: good.queuePrefix });
    const jobs = await queue.getJobs(['waiting'], 0, -1, true);
    expect(jobs.map((j) => j.data.body.UniqueId)).toEqual(uids);
    expect(readdirSync(good.ingestSpoolDir).filter((f) => f.endsWith('.jsonl') || f.endsWith('.open'))).toEqual([]);
    await up.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('answers 503 when the spool cannot be written either, and acks nothing', async () => {
    const good = testConfig();
    const redis = new Redis(good.redisUrl);
    const down = await ingestWithRedisDown(good, redis);
    redis.disconnect();
    // Replace the spool directory by a plain file: every segment open fails (ENOTDIR), even for root.
    rmSync(good.ingestSpoolDir, { recursive: true, force: true });
    writeFileSync(good.ingestSpoolDir, 'not a directory');
    const { base, close } = await listen(down.app);
    try {
      const reply = await postJson(base, '/dial', dial('1759232000.1'));
      expect(reply).toMatchObject({ status: 503, body: { status: 'error', error: 'unavailable' } });
      expect(down.enqueue.counters).toMatchObject({ queued: 0, spooled: 0, failed: 1 });
      expect((await getJson(base, '/health')).status).toBe(503);
    } finally {
      await close();
      await down.stop();
      rmSync(good.ingestSpoolDir, { force: true });
    }
  });
});
