/**
 * The workers' only HTTP: GET /health (what is down, whether workers run) and GET /metrics. Answers
 * within about a second whatever is down. Several workers processes on one host: when the port is
 * taken, the next free one (up to 9 above) is used and logged; none free means no health port.
 */
import { createServer, type Server } from 'node:http';
import { sql, type Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '@callpipe/db';
import { probeWithin, type Logger } from '@callpipe/logging';
import { writeMetrics } from '@callpipe/metrics';
import { downList, type Outages } from './outages.js';

/** waiting: for PostgreSQL/Redis at start; running: processing jobs; stopping: finishing in-flight jobs. */
export type WorkersPhase = 'waiting' | 'running' | 'stopping';

export interface HealthDeps {
  redis: Redis;
  db: Kysely<Database>;
  outages: Outages;
  phase: () => WorkersPhase;
  log: Logger;
}

const PROBE_MS = 600;
const PORT_TRIES = 10;

export async function health(d: HealthDeps): Promise<{ ok: boolean; body: Record<string, unknown> }> {
  const started = Date.now();
  const [redisOk, pgOk] = await Promise.all([
    // A worker connection queues commands while Redis is down: the bound keeps /health from waiting with them.
    probeWithin(() => d.redis.ping(), PROBE_MS),
    probeWithin(() => sql`SELECT 1`.execute(d.db), PROBE_MS),
  ]);
  if (pgOk) d.outages.postgresql.up();
  const phase = d.phase();
  const down = downList(d.outages);
  if (!redisOk && !down.redis) down.redis = { up: false, failures: 0, lastError: `no answer within ${PROBE_MS} ms` };
  if (!pgOk && !down.postgresql) down.postgresql = { up: false, failures: 0, lastError: `no answer within ${PROBE_MS} ms` };
  const ok = redisOk && pgOk && phase === 'running';
  return {
    ok,
    body: {
      status: ok ? 'ok' : phase === 'waiting' ? 'starting' : 'degraded',
      phase, redis: redisOk, postgres: pgOk, workers: phase === 'running', down, checkedInMs: Date.now() - started,
    },
  };
}

export async function startHealthServer(port: number, d: HealthDeps): Promise<Server | null> {
  if (!port) return null;
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      void writeMetrics(req, res);
      return;
    }
    if (req.url !== '/health') {
      res.writeHead(404).end();
      return;
    }
    health(d).then(({ ok, body }) => {
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }, (err: Error) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', error: err.message }));
    });
  });
  for (let p = port; p < port + PORT_TRIES && p <= 65535; p++) {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen(p, () => { server.off('error', resolve); resolve(null); });
    });
    if (!err) {
      d.log.info({ port: p, ...(p !== port ? { configured: port } : {}) },
        p === port ? 'workers health listening' : `workers health listening on ${p} (${port} is taken, another workers process?)`);
      server.on('error', (e) => d.log.error({ err: e }, 'workers health server error'));
      return server;
    }
    if (err.code !== 'EADDRINUSE') {
      d.log.error({ port: p, code: err.code }, `workers health port not opened: ${err.message}; running without it`);
      return null;
    }
  }
  d.log.warn({ from: port, to: port + PORT_TRIES - 1 }, 'workers health ports all taken; running without a health port');
  return null;
}
