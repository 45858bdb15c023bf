/**
 * bench/ingest: the ingest's events/s and ack latency against two ceilings measured in the same run
 * on the same load — a bare express app and a bare node:http server, both answering the ack.
 * Phase 1: as fast as each answers at a fixed concurrency (autocannon). Phase 2: a fixed 2,000 events/s
 * offered open-loop (support/openLoop.ts), latency measured from each request's scheduled time.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@callpipe/config';
import { queues, TokenStore } from '@callpipe/queues';
import { runLoad, type LoadResult } from '../support/load.js';
import { runOpenLoop } from '../support/openLoop.js';
import { freePort, memoryMiB, startServer, stopServer } from '../support/servers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const TOKEN = 'bench-token-375293332255';

const config = loadConfig();
const prefix = `{bench${process.pid}}`;
const body = (i: number) => JSON.stringify({
  Token: TOKEN, UniqueId: `${1_760_000_000 + Math.floor(i / 1000)}.${i}`, Phone: '375296254070',
  CallType: '0', Extensions: ['150', '151'], Trunk: '0001363', Channel: 'SIP/0001363-0000a1b2',
});

interface Row { name: string; max: LoadResult; fixed: LoadResult; rssMiB: number; peakMiB: number }
interface Server { name: string; script: string; env: Record<string, string> }

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Each server in turn, ROUNDS times interleaved (so drift hits all alike); the median run of each is kept. */
async function measureAll(servers: Server[]): Promise<Row[]> {
  const runs = new Map<string, LoadResult[]>(servers.map((s) => [s.name, []]));
  const fixed = new Map<string, LoadResult>();
  const mem = new Map<string, { rss: number; peak: number }>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const s of servers) {
      const port = await freePort();
      const proc = await startServer(s.script, { ...s.env, PORT: String(port), INGEST_PORT: String(port) }, port);
      const url = `http://127.0.0.1:${port}/dial`;
      await runLoad({ url, connections: CONNECTIONS, durationSec: 2, body }); // warm-up
      const max = await runLoad({ url, connections: CONNECTIONS, durationSec: DURATION, body });
      runs.get(s.name)!.push(max);
      if (round === ROUNDS - 1) {
        fixed.set(s.name, await runOpenLoop({ url, rate: RATE, durationSec: DURATION, maxSockets: 256, body }));
        const m = memoryMiB(proc.pid!);
        mem.set(s.name, m);
      }
      await stopServer(proc);
      process.stderr.write(`  round ${round + 1}/${ROUNDS} ${s.name}: ${max.rps} events/s, p99 ${max.p99} ms\n`);
    }
  }
  return servers.map((s) => {
    const sorted = [...runs.get(s.name)!].sort((a, b) => a.rps - b.rps);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return { name: s.name, max: median, fixed: fixed.get(s.name)!, rssMiB: mem.get(s.name)!.rss, peakMiB: mem.get(s.name)!.peak };
  });
}

const redis = new Redis(config.redisUrl);
await new TokenStore(redis, prefix).replace(new Map([[TOKEN, '0367']]));
process.stderr.write(`bench/ingest: ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} interleaved rounds (median kept), fixed rate ${RATE}/s, Redis ${config.redisUrl}\n`);

let rows: Row[] = [];
try {
  rows = await measureAll([
    { name: 'node:http (platform ceiling)', script: join(here, 'bareHttp.js'), env: {} },
    { name: 'express (stack ceiling)', script: join(here, 'bareExpress.js'), env: {} },
    { name: 'ingest', script: join(root, 'apps/ingest/dist/main.js'), env: {
      QUEUE_PREFIX: prefix, REDIS_URL: config.redisUrl, LOG_LEVEL: 'warn',
      INGEST_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'bench-spool-')),
    } },
  ]);
} finally {
  const q = new Queue(queues.events.name, { connection: redis, prefix });
  await q.obliterate({ force: true }).catch(() => undefined);
  await q.close();
  await redis.del(`${prefix}:tokens`);
  redis.disconnect();
}

const [http, exp, ingest] = rows as [Row, Row, Row];
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`\n${'server'.padEnd(30)}${pad('max ev/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad(`@${RATE}/s p50`, 13)}${pad('p99', 7)}${pad('max', 7)}${pad('non2xx', 8)}${pad('RSS MiB', 9)}${pad('peak', 7)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(30)}${pad(r.max.rps, 10)}${pad(r.max.p50, 9)}${pad(r.max.p99, 9)}${pad(r.fixed.p50, 13)}${pad(r.fixed.p99, 7)}${pad(r.fixed.max, 7)}${pad(r.max.non2xx + r.fixed.non2xx, 8)}${pad(r.rssMiB, 9)}${pad(r.peakMiB, 7)}`);
}
const vsExpress = ingest.max.rps / exp.max.rps;
const vsHttp = ingest.max.rps / http.max.rps;
console.log(`\ningest / bare express = ${vsExpress.toFixed(2)}   (aim >= 0.85)`);
console.log(`ingest / bare node:http = ${vsHttp.toFixed(2)}`);
console.log(`ingest p99 at ${RATE} events/s offered = ${ingest.fixed.p99} ms   (aim <= 10 ms)`);
console.log(`ingest RSS after the runs = ${ingest.rssMiB} MiB (peak ${ingest.peakMiB} MiB)`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify({ connections: CONNECTIONS, durationSec: DURATION, rate: RATE, rows, vsExpress, vsHttp }, null, 2));
