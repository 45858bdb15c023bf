import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastMessageKey } from '@callpipe/telegram';
import { listen } from '../../../../test/support/listen.js';
import { testConfig, testLogger } from '../../../../test/support/testEnv.js';
import { createGateway, type Gateway } from '../gateway.js';

const config = testConfig({ GATEWAY_API_TOKEN: 'api-token-for-telegram-tests-01' });
let gateway: Gateway;
let base: string;
let close: () => Promise<void>;
let redis: Redis;

beforeAll(async () => {
  gateway = createGateway(config, testLogger());
  ({ base, close } = await listen(gateway.app));
  redis = new Redis(config.redisUrl);
});
afterAll(async () => {
  await close();
  await gateway.stop();
  redis.disconnect();
});

const send = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe('old Telegram message map: /telegram/message and /telegram/last-message', () => {
  it('stores, reads back and deletes a message id with the old shapes', async () => {
    const phone = `37529${Math.floor(Math.random() * 1e7)}`;
    const chat = 7889254605;
    const posted = await send('POST', '/telegram/message', { phone, chat_id: chat, event_type: 'dial', message_id: 12345 });
    expect(posted).toEqual({ status: 200, body: { status: 'ok', cache_key: `${phone}:${chat}`, message_id: 12345, event_type: 'dial' } });
    const got = await send('GET', `/telegram/last-message/${phone}/${chat}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ message_id: 12345, event_type: 'dial' });
    expect(Math.abs(Number(got.body.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(await redis.ttl(lastMessageKey(config.queuePrefix, phone, String(chat)))).toBeGreaterThan(3500);
    expect(await send('DELETE', `/telegram/last-message/${phone}/${chat}`)).toEqual({ status: 200, body: { status: 'deleted', cache_key: `${phone}:${chat}` } });
    expect(await send('GET', `/telegram/last-message/${phone}/${chat}`)).toEqual({ status: 404, body: { error: 'No message found', cache_key: `${phone}:${chat}` } });
  });

  it('reads what the telegram workers wrote under the shared key', async () => {
    const phone = '375291112233';
    const chat = '-100777';
    await redis.set(lastMessageKey(config.queuePrefix, phone, chat), JSON.stringify({ message_id: 9, event_type: 'bridge', timestamp: 1731502957.56 }));
    expect(await send('GET', `/telegram/last-message/${phone}/${chat}`)).toEqual({ status: 200, body: { message_id: 9, event_type: 'bridge', timestamp: 1731502957.56 } });
  });

  it('answers 400 naming the field of a malformed body', async () => {
    const r = await send('POST', '/telegram/message', { phone: '375296254070', chat_id: 1, event_type: 'dial', message_id: 'x' });
    expect(r).toMatchObject({ status: 400, body: { field: 'message_id' } });
  });

  it('refuses a caller from a non-loopback address without the token (401)', async () => {
    let outside: string | undefined;
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!outside && a.family === 'IPv4' && !a.internal) outside = a.address;
    expect(outside, 'a non-loopback IPv4 address on this host').toBeDefined();
    const server = await new Promise<Server>((resolve) => { const s = gateway.app.listen(0, '0.0.0.0', () => resolve(s)); });
    try {
      const port = (server.address() as AddressInfo).port;
      for (const [method, path] of [['POST', '/telegram/message'], ['GET', '/telegram/last-message/375296254070/1'], ['DELETE', '/telegram/last-message/375296254070/1']] as const) {
        const r = await fetch(`http://${outside}:${port}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
        expect(r.status, `${method} ${path}`).toBe(401);
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
