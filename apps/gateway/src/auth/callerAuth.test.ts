import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from '../../../../test/support/httpClient.js';
import { testConfig, testLogger } from '../../../../test/support/testEnv.js';
import { createGateway, type Gateway } from '../gateway.js';
import { callerAuth, decideAccess, isLoopback } from './index.js';

const TOKEN = 'api-token-for-tests-0123';

/** An address of this host that is not loopback: a request to it arrives from it, not from 127.0.0.1. */
function outsideAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('this host has no non-loopback IPv4 address to test from');
}

async function listenAll(app: express.Express): Promise<{ port: number; server: Server }> {
  const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '0.0.0.0', () => resolve(s)); });
  return { port: (server.address() as AddressInfo).port, server };
}

const close = (server: Server) => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });

describe('who may call the 8020 API (rules)', () => {
  const facts = (remoteAddress: string, authorization?: string, proxied = false) => ({ remoteAddress, authorization, proxied });

  it('lets loopback callers in without a token, and nobody else', () => {
    expect(decideAccess(facts('127.0.0.1'), TOKEN)).toEqual({ allowed: true, caller: 'loopback' });
    expect(decideAccess(facts('::1'), undefined)).toEqual({ allowed: true, caller: 'loopback' });
    expect(decideAccess(facts('::ffff:127.0.0.1'), TOKEN)).toEqual({ allowed: true, caller: 'loopback' });
    expect(decideAccess(facts('192.0.2.7'), TOKEN)).toMatchObject({ allowed: false });
    expect(decideAccess(facts('::ffff:10.0.0.5'), TOKEN)).toMatchObject({ allowed: false });
  });

  it('lets a bearer of the configured token in from anywhere, and refuses a wrong one even from loopback', () => {
    expect(decideAccess(facts('192.0.2.7', `Bearer ${TOKEN}`), TOKEN)).toEqual({ allowed: true, caller: 'token' });
    expect(decideAccess(facts('192.0.2.7', `bearer ${TOKEN}`), TOKEN)).toEqual({ allowed: true, caller: 'token' });
    expect(decideAccess(facts('127.0.0.1', 'Bearer nope'), TOKEN)).toMatchObject({ allowed: false, reason: 'wrong bearer token' });
    // Basic is not a bearer: it never counts as the token; the address decides as if it were absent.
    expect(decideAccess(facts('127.0.0.1', `Basic ${TOKEN}`), TOKEN)).toEqual({ allowed: true, caller: 'loopback' });
    expect(decideAccess(facts('192.0.2.7', `Basic ${TOKEN}`), TOKEN)).toMatchObject({ allowed: false });
    expect(decideAccess(facts('127.0.0.1', `Bearer ${TOKEN}`), undefined)).toMatchObject({ allowed: false });
  });

  it('lets a browser logged in to the admin pages (Basic) open the API from this host, with or without a token configured', () => {
    const basic = `Basic ${Buffer.from('admin:secret').toString('base64')}`;
    expect(decideAccess(facts('127.0.0.1', basic), undefined)).toEqual({ allowed: true, caller: 'loopback' });
    expect(decideAccess(facts('127.0.0.1', basic, true), undefined)).toMatchObject({ allowed: false });
  });

  it('treats a loopback request that came through a proxy as an outside one', () => {
    expect(decideAccess(facts('127.0.0.1', undefined, true), TOKEN)).toMatchObject({ allowed: false });
    expect(decideAccess(facts('127.0.0.1', `Bearer ${TOKEN}`, true), TOKEN)).toEqual({ allowed: true, caller: 'token' });
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '::2', '', undefined, '::ffff:192.0.2.1'].some(isLoopback)).toBe(false);
  });
});

describe('who may call the 8020 API (over real sockets)', () => {
  const outside = outsideAddress();

  it('answers 401 to a caller on another address without the token, and lets it in with the token', async () => {
    const app = express();
    app.get('/who', callerAuth(TOKEN), (_req, res) => { res.json({ caller: res.locals.caller as string }); });
    const { port, server } = await listenAll(app);
    try {
      const anonymous = await getJson(`http://${outside}:${port}`, '/who');
      expect(anonymous).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect((await fetch(`http://${outside}:${port}/who`)).headers.get('www-authenticate')).toMatch(/^Bearer/);
      // A forged header does not make a remote caller local.
      expect((await getJson(`http://${outside}:${port}`, '/who', { 'x-forwarded-for': '127.0.0.1' })).status).toBe(401);
      expect(await getJson(`http://${outside}:${port}`, '/who', { authorization: `Bearer ${TOKEN}` })).toEqual({ status: 200, body: { caller: 'token' } });
      expect(await getJson(`http://127.0.0.1:${port}`, '/who')).toEqual({ status: 200, body: { caller: 'loopback' } });
    } finally {
      await close(server);
    }
  });

  describe('on the gateway', () => {
    const config = testConfig({ GATEWAY_API_TOKEN: TOKEN });
    let gateway: Gateway;
    let server: Server;
    let base: string;

    beforeAll(async () => {
      gateway = createGateway(config, testLogger());
      const l = await listenAll(gateway.app);
      server = l.server;
      base = `http://${outside}:${l.port}`;
    });

    afterAll(async () => {
      await close(server);
      await gateway.stop();
    });

    it('refuses every API route to an outside caller without the token, and keeps /health and /metrics open', async () => {
      const routes: [string, string][] = [
        ['GET', '/integrations/0367'], ['GET', '/config/0367'], ['GET', '/config/0367/retailcrm'], ['GET', '/stats'],
        ['POST', '/cache/invalidate/0367'], ['POST', '/cache/refresh'], ['GET', '/customer-name/0367/375296254070'],
        ['GET', '/customer-profile/0367/375296254070'], ['GET', '/responsible-extension/0367/375296254070'],
        ['GET', '/metadata/0367/manager/150'], ['GET', '/metadata/0367/line/0001363'], ['POST', '/dispatch/call-event'],
      ];
      for (const [method, path] of routes) {
        const reply = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
        expect(reply.status, `${method} ${path}`).toBe(401);
      }
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
      const withToken = await getJson(base, '/integrations/no-such-enterprise', { authorization: `Bearer ${TOKEN}` });
      expect(withToken.status).toBe(404);
    });
  });
});
