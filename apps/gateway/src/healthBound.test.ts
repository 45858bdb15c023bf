/** The gateway's /health answers within a second and names what is down (Redis, PostgreSQL), with real outages. */
import { describe, expect, it } from 'vitest';
import { getJson } from '../../../test/support/httpClient.js';
import { freePort, listen } from '../../../test/support/listen.js';
import { TcpProxy } from '../../../test/support/tcpProxy.js';
import { testConfig, testLogger } from '../../../test/support/testEnv.js';
import { createGateway } from './gateway.js';

async function timedHealth(base: string): Promise<{ status: number; ms: number; body: Record<string, unknown> }> {
  const started = Date.now();
  const r = await getJson(base, '/health');
  return { ...r, ms: Date.now() - started };
}

describe('gateway /health while a dependency is down', () => {
  it('answers 503 within a second naming Redis when nothing listens on its port', async () => {
    const config = testConfig({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const gateway = createGateway(config, testLogger());
    const { base, close } = await listen(gateway.app);
    try {
      const h = await timedHealth(base);
      expect(h.status).toBe(503);
      expect(h.ms).toBeLessThan(1000);
      expect(h.body).toMatchObject({ redis: 'unreachable', postgres: 'ok' });
      expect(Object.keys(h.body.down as object)).toEqual(['redis']);
    } finally {
      await close();
      await gateway.stop();
    }
  });

  it('answers 503 within a second naming PostgreSQL when it hangs (connections accepted, never answered)', async () => {
    const base0 = testConfig();
    const target = new URL(base0.databaseUrl);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    await proxy.setMode('hold');
    const url = new URL(base0.databaseUrl);
    url.port = String(proxy.port);
    const gateway = createGateway(testConfig({ DATABASE_URL: url.toString() }), testLogger());
    const { base, close } = await listen(gateway.app);
    try {
      const h = await timedHealth(base);
      expect(proxy.accepted).toBeGreaterThan(0);
      expect(h.status).toBe(503);
      expect(h.ms).toBeLessThan(1000);
      expect(h.body).toMatchObject({ redis: 'ok', postgres: 'unreachable' });
      expect(Object.keys(h.body.down as object)).toEqual(['postgresql']);
    } finally {
      await close();
      await proxy.close();
      await gateway.stop();
    }
  });
});
