/**
 * bench/gateway: requests/s and latency of GET /integrations/{enterprise} answered from a warm
 * cache, next to a bare express route answering a constant of the same shape, measured in the same
 * run on the same load (autocannon, 50 connections; then 1 connection for the latency of one hit).
 * Servers alternate over BENCH_ROUNDS rounds; the median round of each is kept.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '@callpipe/config';
import { freePort, memoryMiB, startServer, stopServer } from '../support/servers.js';
import { BENCH_ENTERPRISE, createBenchDatabase } from './benchDatabase.js';
import { runLoad, type LoadResult } from '../support/load.js';
import { measureHitCost } from './hitCost.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PATH = `/integrations/${BENCH_ENTERPRISE.number}`;

interface Server { name: string; script: string; env: Record<string, string> }
interface Row { name: string; max: LoadResult; single: LoadResult; rssMiB: number }

const config = loadConfig();
const roundRps = new Map<string, number[]>();
const prefix = `{benchgw${process.pid}}`;

async function measureAll(servers: Server[]): Promise<Row[]> {
  const runs = new Map<string, { max: LoadResult; single: LoadResult }[]>(servers.map((s) => [s.name, []]));
  const mem = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const s of servers) {
      const port = await freePort();
      const proc = await startServer(s.script, { ...s.env, PORT: String(port), GATEWAY_PORT: String(port) }, port);
      const url = `http://127.0.0.1:${port}${PATH}`;
      await runLoad({ url, connections: CONNECTIONS, durationSec: 2 }); // warm-up: JIT, the cache entry, keep-alive sockets
      const probe = (await (await fetch(url)).json()) as { source?: string };
      if (probe.source !== 'cache') throw new Error(`${s.name}: not answering from the cache (source ${probe.source})`);
      const max = await runLoad({ url, connections: CONNECTIONS, durationSec: DURATION });
      const single = await runLoad({ url, connections: 1, durationSec: Math.max(2, Math.round(DURATION / 2)) });
      runs.get(s.name)!.push({ max, single });
      mem.set(s.name, memoryMiB(proc.pid!).rss);
      await stopServer(proc);
      process.stderr.write(`  round ${round + 1}/${ROUNDS} ${s.name}: ${max.rps} req/s, p99 ${max.p99} ms; 1 connection mean ${single.mean} ms\n`);
    }
  }
  for (const s of servers) roundRps.set(s.name, runs.get(s.name)!.map((r) => r.max.rps));
  return servers.map((s) => {
    const sorted = [...runs.get(s.name)!].sort((a, b) => a.max.rps - b.max.rps);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return { name: s.name, ...median, rssMiB: mem.get(s.name)! };
  });
}

const database = await createBenchDatabase(config.databaseUrl);
process.stderr.write(`bench/gateway: GET ${PATH}, ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} interleaved rounds (median kept), Redis ${config.redisUrl}\n`);
let rows: Row[] = [];
let hit: { nsPerHit: number; calls: number };
try {
  rows = await measureAll([
    { name: 'express constant (baseline)', script: join(here, 'bareExpress.js'), env: {} },
    { name: 'gateway warm cache', script: join(root, 'apps/gateway/dist/main.js'), env: {
      DATABASE_URL: database.url, REDIS_URL: config.redisUrl, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn',
    } },
  ]);
  hit = await measureHitCost(database.url, config.redisUrl, prefix, BENCH_ENTERPRISE.number);
} finally {
  const redis = new Redis(config.redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await database.drop();
}

const [bare, gateway] = rows as [Row, Row];
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`\n${'server'.padEnd(30)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('1-conn req/s', 14)}${pad('mean ms', 9)}${pad('p99', 5)}${pad('non2xx', 8)}${pad('RSS MiB', 9)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(30)}${pad(r.max.rps, 9)}${pad(r.max.p50, 9)}${pad(r.max.p99, 9)}${pad(r.single.rps, 14)}${pad(r.single.mean, 9)}${pad(r.single.p99, 5)}${pad(r.max.non2xx + r.single.non2xx, 8)}${pad(r.rssMiB, 9)}`);
}
const ratio = gateway.max.rps / bare.max.rps;
// Each round runs the two servers back to back, so a round's ratio is the least exposed to drift in
// the machine's load (other processes share its two cores).
const perRound = roundRps.get(bare.name)!.map((b, i) => roundRps.get(gateway.name)![i]! / b);
const medianRatio = [...perRound].sort((a, b) => a - b)[Math.floor(perRound.length / 2)]!;
console.log(`\ngateway / bare express = ${ratio.toFixed(2)} (median rounds)   ${medianRatio.toFixed(2)} (median of per-round ratios: ${perRound.map((r) => r.toFixed(2)).join(', ')})   (aim >= 0.8)`);
console.log(`gateway p99 at ${CONNECTIONS} connections = ${gateway.max.p99} ms (express ${bare.max.p99} ms)`);
console.log(`one warm hit over HTTP, 1 connection: ${gateway.single.rps} req/s = ${(1000 / gateway.single.rps).toFixed(3)} ms per request round trip (express ${bare.single.rps} req/s)`);
console.log(`one warm hit in the process (ConfigCache.hitLocal): ${hit!.nsPerHit} ns`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/gateway-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify({ path: PATH, connections: CONNECTIONS, durationSec: DURATION, rounds: ROUNDS, rows, ratio, perRound, medianRatio, hitCost: hit! }, null, 2));
