/**
 * The observability check (issue 3, item 4): each process serves /metrics in Prometheus text with
 * the series it owns, and they move when one event goes through the real processes.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { queues } from '@callpipe/queues';
import { getJson, postJson } from '../support/httpClient.js';
import { freePort } from '../support/listen.js';
import { startApp, type AppProcess } from '../support/processes.js';
import { configEnv, testConfig, uniqueEnterprise, waitFor } from '../support/testEnv.js';

const scrape = async (base: string) => (await fetch(`${base}/metrics`)).text();
/** The value of the first series of `name` whose labels include all of `labels`. */
function value(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('metrics on ingest, workers and gateway', () => {
  const config = testConfig();
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'metrics-test' }));
  const e = uniqueEnterprise();
  const apps: AppProcess[] = [];
  const base = { ingest: '', workers: '', gateway: '' };

  beforeAll(async () => {
    await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, active: true }).execute();
    const [ingestPort, workersPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
    const env = configEnv(config);
    apps.push(startApp('workers', { ...env, WORKERS_PORT: String(workersPort) }));
    apps.push(startApp('ingest', { ...env, INGEST_PORT: String(ingestPort) }));
    apps.push(startApp('gateway', { ...env, GATEWAY_PORT: String(gatewayPort) }));
    base.ingest = `http://127.0.0.1:${ingestPort}`;
    base.workers = `http://127.0.0.1:${workersPort}`;
    base.gateway = `http://127.0.0.1:${gatewayPort}`;
    const up = (b: string) => async () => (await getJson(b, '/health').catch(() => ({ status: 0 }))).status === 200;
    const output = () => apps.map((a) => a.output()).join('\n');
    await waitFor(up(base.workers), `workers up: ${output()}`, 30_000, 100);
    await waitFor(up(base.gateway), `gateway up: ${output()}`, 30_000, 100);
    // The ingest answers 200 on /health once the workers have put our token in Redis.
    await waitFor(async () => (await postJson(base.ingest, '/dial', { Token: e.token, UniqueId: 'metrics.1', Phone: '375296254070', CallType: 0, Extensions: ['150'] })
      .catch(() => ({ status: 0 }))).status === 200, `ingest to take an event: ${output()}`, 30_000, 200);
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.kill()));
    const redis = new Redis(config.redisUrl);
    const q = new Queue(queues.events.name, { connection: redis, prefix: config.queuePrefix });
    await q.obliterate({ force: true });
    await q.close();
    const keys = await redis.keys(`${config.queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.destroy();
  });

  it('ingest: ack latency histogram and events by type and result', async () => {
    const text = await scrape(base.ingest);
    expect(value(text, 'callpipe_ingest_ack_seconds_count', { event: 'dial', result: 'queued' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'callpipe_ingest_events_total', { event: 'dial', result: 'queued' })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/process_resident_memory_bytes\{service="ingest"\}/);
  });

  it('workers: job duration per queue and outcome', async () => {
    const done = await waitFor(async () => value(await scrape(base.workers), 'callpipe_job_seconds_count', { queue: 'events', result: 'completed' }), 'a completed events job', 10_000, 100);
    expect(done).toBeGreaterThanOrEqual(1);
    expect(await scrape(base.workers)).toMatch(/process_resident_memory_bytes\{service="workers"\}/);
  });

  it('gateway: queue depth by state per queue, and config cache hits and misses', async () => {
    await getJson(base.gateway, `/integrations/${e.number}`);
    await getJson(base.gateway, `/integrations/${e.number}`);
    const text = await scrape(base.gateway);
    for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
      expect(value(text, 'callpipe_queue_jobs', { queue: 'events', state }), state).toBeGreaterThanOrEqual(0);
    }
    expect(value(text, 'callpipe_queue_jobs', { queue: 'events', state: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'callpipe_cache_requests_total', { cache: 'integrations', result: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/# TYPE callpipe_telegram_requests_total counter/);
    expect(text).toMatch(/# TYPE callpipe_crm_requests_total counter/);
  });
});
