/**
 * Scaling out as README's "Running more processes" says: two ingest processes and two workers
 * processes on one Redis queue prefix and one database, each workers process with its own small
 * PostgreSQL pool. Every call's events are split between the two ingests (a host behind a load
 * balancer), so a call's events are taken by both workers processes at once. Real built processes.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool, type Database } from '@callpipe/db';
import { ACK_BODY, eventKey, eventPath, type EventType } from '@callpipe/events';
import { generateCall, PATTERNS } from '../../apps/sandbox/src/emulator/index.js';
import { getJson, postJson } from '../support/httpClient.js';
import { startApp, tcpLocalPorts, type AppProcess } from '../support/processes.js';
import { configEnv, testConfig, uniqueEnterprise, waitFor } from '../support/testEnv.js';

const POOL_PER_WORKERS = 3;
const SPEED = 20;
let db: Kysely<Database>;

beforeAll(() => {
  db = createDb(createPool({ connectionString: testConfig().databaseUrl, max: 2, applicationName: 'scale-out-test' }));
});
afterAll(async () => db.destroy());

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
  });
}

/** Jobs a workers process completed, by queue, from its /metrics. */
async function completedJobs(port: number): Promise<Record<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^callpipe_job_seconds_count\{([^}]*)\} (\d+)/gm)) {
    if (!m[1]!.includes('result="completed"')) continue;
    const queue = /queue="([^"]+)"/.exec(m[1]!)?.[1] ?? '?';
    out[queue] = (out[queue] ?? 0) + Number(m[2]);
  }
  return out;
}

describe('scale out', () => {
  it('two ingests and two workers processes: every acked event stored once, one record per call, both processes working, pools within budget', async () => {
    const config = testConfig();
    const e = uniqueEnterprise();
    await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: null, active: true }).execute();
    const ports = { i1: await freePort(), i2: await freePort(), w1: await freePort(), w2: await freePort() };
    const env = { ...configEnv(config), DB_POOL_MAX: String(POOL_PER_WORKERS), EVENTS_CONCURRENCY: '8', TOKEN_REFRESH_SECONDS: '1' };
    const procs: AppProcess[] = [
      startApp('workers', { ...env, WORKERS_PORT: String(ports.w1) }),
      startApp('workers', { ...env, WORKERS_PORT: String(ports.w2) }),
      startApp('ingest', { ...env, INGEST_PORT: String(ports.i1), INGEST_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'callpipe-spool-')) }),
      startApp('ingest', { ...env, INGEST_PORT: String(ports.i2), INGEST_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'callpipe-spool-')) }),
    ];
    const ingests = [`http://127.0.0.1:${ports.i1}`, `http://127.0.0.1:${ports.i2}`];
    try {
      // Every pattern once, each call with parties of its own, all running at once — but the 4-x family,
      // two calls told apart only by seconds between them, which the compressed timeline would erase.
      const start = Date.now() - 3600_000;
      const ids = PATTERNS.filter((p) => p.family !== 'separate').map((p) => p.id);
      const calls = ids.map((id, i) => generateCall(id, {
        token: e.token, seed: 7, callIndex: i, startTime: new Date(start + i * 1000),
        extensions: [String(3000 + 3 * i), String(3001 + 3 * i), String(3002 + 3 * i)],
        phones: [`37529${String(2_000_000 + 3 * i)}`, `37529${String(2_000_001 + 3 * i)}`, `37529${String(2_000_002 + 3 * i)}`],
      }));
      // Both ingests learn the token from the workers (TokenSync) before the stream starts.
      const probe = calls[0]!.events[0]!;
      // Both workers processes running too: the first up would otherwise take a short stream alone
      // while the other is still starting (a fresh-clone CI run under load did just that).
      for (const base of [...ingests, `http://127.0.0.1:${ports.w1}`, `http://127.0.0.1:${ports.w2}`]) {
        await waitFor(async () => (await getJson(base, '/health').catch(() => ({ status: 0 }))).status === 200, `${base} healthy`, 60_000, 250);
      }
      const acked = new Set<string>();
      for (const base of ingests) {
        await waitFor(async () => (await postJson(base, eventPath(probe.type), probe.body).catch(() => ({ status: 0, body: {} }))).status === 200, `ingest ${base} to know the token`, 30_000, 250);
      }
      acked.add(eventKey(probe.type as EventType, probe.body));
      // A call's events alternate between the two ingests, each at its own time (the call's timeline
      // compressed SPEED times, as the demo host sends); calls run concurrently.
      const t0 = Date.now();
      await Promise.all(calls.map(async (call) => {
        for (const [k, ev] of call.events.entries()) {
          const wait = t0 + ev.offsetMs / SPEED - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const reply = await postJson(ingests[k % 2]!, eventPath(ev.type), ev.body);
          if (reply.status === 200 && reply.body.message === ACK_BODY.message) acked.add(eventKey(ev.type as EventType, ev.body));
        }
      }));
      const total = calls.reduce((n, c) => n + c.events.length, 0);
      expect(acked.size).toBe(total);
      // Stored once each, and applied to the call log once each.
      let inLog = 0;
      await waitFor(async () => {
        const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM call_trace_entries WHERE enterprise_number = ${e.number} AND kind = 'event'`.execute(db);
        inLog = Number(rows[0]!.n);
        return inLog === total;
      }, 'every event in the call log', 120_000, 250).catch(async (err: Error) => {
        // It timed out once in a fresh-clone CI run and never here: say where the missing events are.
        const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM call_events WHERE enterprise_number = ${e.number}`.execute(db);
        const warnings = procs.map((p, i) => `--- process ${i}:\n${p.output().split('\n').filter((l) => /"level":"(warn|error|fatal)"/.test(l)).slice(-15).join('\n')}`);
        throw new Error(`${err.message}: ${inLog} of ${total} in the call log, ${rows[0]!.n} in call_events, metrics ${JSON.stringify(await Promise.all([ports.w1, ports.w2].map((port) => completedJobs(port).catch(() => ({})))))}\n${warnings.join('\n')}`);
      });
      const stored = await db.selectFrom('call_events').select('event_key').where('enterprise_number', '=', e.number).execute();
      expect(stored.length).toBe(total);
      expect(new Set(stored.map((r) => r.event_key))).toEqual(acked);
      // One record per record the emulator says the call makes, whichever process applied which event.
      const entries = await db.selectFrom('call_trace_entries').select(['entry_key', 'call_id']).where('enterprise_number', '=', e.number).where('kind', '=', 'event').execute();
      const recordOf = new Map(entries.map((r) => [r.entry_key, r.call_id]));
      const holders = new Map<string, string[]>();
      for (const call of calls) {
        for (let r = 0; r < call.records.length; r += 1) {
          const ids = new Set(call.events.filter((ev) => ev.record === r).map((ev) => recordOf.get(eventKey(ev.type as EventType, ev.body))));
          expect(ids.size, `${call.patternId} record ${r}: records holding its events`).toBe(1);
          const id = [...ids][0]!;
          holders.set(id, [...(holders.get(id) ?? []), `${call.patternId}#${r}`]);
        }
      }
      expect([...holders.values()].filter((h) => h.length > 1), 'records holding more than one expected record').toEqual([]);
      // Both workers processes took events, as events jobs or in packets (the events one ingest write took together).
      const [w1, w2] = [await completedJobs(ports.w1), await completedJobs(ports.w2)];
      const took = (w: Record<string, number>) => (w.events ?? 0) + (w['event-packets'] ?? 0);
      expect(took(w1)).toBeGreaterThan(0);
      expect(took(w2)).toBeGreaterThan(0);
      // Each workers process stays within its pool: DB_POOL_MAX connections named "workers" apiece
      // (its own, told by their client ports: other test files' workers may share the database).
      // The event batches have a pool of their own, EVENTS_BATCH_IN_FLIGHT (4 by default) apiece.
      for (const w of procs.slice(0, 2)) {
        const ports = tcpLocalPorts(w.proc.pid!);
        const { rows } = await sql<{ name: string; n: string }>`
          SELECT application_name AS name, count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND client_port = SOME(${ports}::int[]) GROUP BY 1
        `.execute(db);
        const n = (name: string) => Number(rows.find((r) => r.name === name)?.n ?? 0);
        expect(n('workers'), `workers pid ${w.proc.pid}`).toBeGreaterThan(0);
        expect(n('workers'), `workers pid ${w.proc.pid}`).toBeLessThanOrEqual(POOL_PER_WORKERS);
        expect(n('workers-batches'), `workers pid ${w.proc.pid}: batches`).toBeGreaterThan(0);
        expect(n('workers-batches'), `workers pid ${w.proc.pid}: batches`).toBeLessThanOrEqual(testConfig().eventsBatchInFlight);
      }
    } finally {
      await Promise.all(procs.map((p) => p.kill('SIGTERM')));
    }
  }, 240_000);
});
