/** The workers' only HTTP: GET /health (Redis, PostgreSQL, whether workers are running) and GET /metrics. */
import { createServer, type Server } from 'node:http';
import { sql, type Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '@callpipe/db';
import { writeMetrics } from '@callpipe/metrics';

export function startHealthServer(port: number, redis: Redis, db: Kysely<Database>, running: () => boolean): Server | null {
  if (!port) return null;
  const server = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      await writeMetrics(req, res);
      return;
    }
    if (req.url !== '/health') {
      res.writeHead(404).end();
      return;
    }
    const [redisOk, pgOk] = await Promise.all([
      redis.ping().then(() => true, () => false),
      sql`SELECT 1`.execute(db).then(() => true, () => false),
    ]);
    const ok = redisOk && pgOk && running();
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', redis: redisOk, postgres: pgOk, workers: running() }));
  });
  server.listen(port);
  return server;
}
