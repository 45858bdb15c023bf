import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { deleteKeys, serveGateway } from '../../../../test/support/gatewayServer.js';
import { testConfig, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { paramAt } from './badParam.js';

const API_TOKEN = 'gw-hostile-token-0123456789';
const bearer = { authorization: `Bearer ${API_TOKEN}` };
const admin = { authorization: `Basic ${Buffer.from('ops:s3cret-pass').toString('base64')}` };

/** The raw answer; every gateway answer under test must be JSON (or the trace page's plain text). */
async function get(base: string, path: string, headers: Record<string, string> = bearer) {
  const res = await fetch(`${base}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text };
}
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('gateway under hostile input', () => {
  const config = testConfig({ GATEWAY_API_TOKEN: API_TOKEN, ADMIN_USER: 'ops', ADMIN_PASSWORD: 's3cret-pass' });
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'gateway-hostile-test' }));
  const e = uniqueEnterprise();
  const other = uniqueEnterprise();
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    await db.insertInto('enterprises').values({
      number: e.number, name: e.name, name2: e.token, active: true,
      integrations_config: JSON.stringify({ uon: { enabled: true, api_key: 'k-123' } }),
    }).execute();
    // A config whose JSON holds a prototype key: it must stay data, not become the entry's prototype.
    await db.insertInto('enterprises').values({
      number: other.number, name: other.name, name2: other.token, active: true,
      integrations_config: '{"__proto__": {"enabled": true, "api_key": "x"}, "uon": {"enabled": false}}',
    }).execute();
    ({ base, close } = await serveGateway(config, true));
  });

  afterAll(async () => {
    await close();
    await db.deleteFrom('enterprises').where('number', 'in', [e.number, other.number]).execute();
    await db.destroy();
    const redis = new Redis(config.redisUrl);
    await deleteKeys(redis, `${config.queuePrefix}*`);
    redis.disconnect();
  });

  it.each([
    ['/trace/%ZZ', 'id'],
    ['/trace/%E0%A4%A', 'id'],
    ['/config/%ZZ', 'enterprise'],
    ['/config/0367/%ZZ', 'type'],
    ['/integrations/%', 'enterprise'],
    ['/customer-name/%ZZ/375296254070', 'enterprise'],
    ['/metadata/0367/manager/%G0', 'ext'],
    ['/enterprise/%ZZ/events', 'n'],
    ['/telegram/last-message/%ZZ/1', 'phone'],
  ])('%s is a 400 naming %s, not an outage', async (path, field) => {
    const r = await get(base, path);
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/^application\/json/);
    expect(json(r.text)).toMatchObject({ status: 'error', field });
  });

  it.each([
    ['/config/%00', 'enterprise'],
    ['/integrations/a%0Ab', 'enterprise'],
    [`/config/${'9'.repeat(200)}`, 'enterprise'],
    ['/cache/invalidate/%00', 'enterprise'],
  ])('%s (a control character or an overlong id) is a 400 naming %s', async (path, field) => {
    const r = path.startsWith('/cache')
      ? await fetch(`${base}${path}`, { method: 'POST', headers: bearer }).then(async (res) => ({ status: res.status, text: await res.text() }))
      : await get(base, path);
    expect(r.status).toBe(400);
    expect(json(r.text)).toMatchObject({ status: 'error', error: 'invalid_param', field });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'])('/config/{enterprise}/%s is no config type (404)', async (key) => {
    const r = await get(base, `/config/${e.number}/${key}`);
    expect(r.status).toBe(404);
    expect(json(r.text)).toMatchObject({ error: 'unknown_integration' });
  });

  it('keeps a prototype key in stored settings as an invalid entry, not as the prototype', async () => {
    const r = await get(base, `/config/${other.number}`);
    expect(r.status).toBe(200);
    const body = json(r.text);
    expect(body.invalid_integrations).toEqual([{ integration: '__proto__', error: 'is not an integration type' }]);
    expect(Object.getPrototypeOf(body.integrations)).toBe(Object.prototype);
    expect((await get(base, `/config/${other.number}/__proto__`)).status).toBe(404);
    expect((await get(base, `/config/${other.number}/api_key`)).status).toBe(404);
  });

  it.each([
    ['phone[]=a&phone[]=b', 'phone'],
    ['phone=375296254070&phone=375296254071', 'phone'],
    ['phone[x]=1', 'phone'],
    ['direction[]=in', 'direction'],
    ['limit=5&limit=6', 'limit'],
  ])('/search?enterprise=…&%s is refused naming %s', async (query, field) => {
    const r = await get(base, `/search?enterprise=${e.number}&${query}`);
    expect(r.status).toBe(400);
    expect(json(r.text)).toMatchObject({ status: 'error', error: 'invalid_query', field });
  });

  it('refuses list parameters on the other routes that read the query', async () => {
    expect(json((await get(base, `/enterprise/${e.number}/events?date[]=2025-10-03`)).text)).toMatchObject({ field: 'date' });
    expect(json((await get(base, '/trace/1.1?enterprise[]=0367')).text)).toMatchObject({ field: 'enterprise' });
    expect(json((await get(base, '/trace/1.1?enterprise=%00')).text)).toMatchObject({ field: 'enterprise' });
    expect((await get(base, '/trace-ui/?id=1&id=2', admin)).status).toBe(400);
    // The same searches given once each are answered.
    expect((await get(base, `/search?enterprise=${e.number}&phone=375296254070`)).status).toBe(200);
  });

  it('answers a path no route serves with JSON 404, and the trace page a bad escape with 400', async () => {
    const r = await get(base, '/no/such/route');
    expect(r.status).toBe(404);
    expect(json(r.text)).toMatchObject({ status: 'error', error: 'not_found' });
    const page = await get(base, '/trace-ui/%ZZ', admin);
    expect(page.status).toBe(400);
    expect(page.text).not.toMatch(/\/work|\.ts|at /);
  });

  it('refuses bodies nested 5,000 levels deep with 400 naming the field, not 503 or 500', async () => {
    const deep = `${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const post = (path: string, body: string) => fetch(`${base}${path}`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body })
      .then(async (res) => ({ status: res.status, body: json(await res.text()) }));
    expect(await post('/log/event', `{"event_type":"dial","event_data":${deep},"unique_id":"1.1","enterprise_number":"${e.number}"}`))
      .toMatchObject({ status: 400, body: { error: 'invalid_body', field: 'event_data' } });
    expect(await post('/dispatch/call-event', `{"token":"${e.token}","uniqueId":"1.1","event_type":"dial","raw":{"Phone":"1","CallType":0,"Deep":${deep}}}`))
      .toMatchObject({ status: 400, body: { error: 'invalid_body' } });
  });

  it('answers bad JSON bodies with JSON 400, never a stack', async () => {
    for (const path of ['/log/event', '/telegram/message', '/dispatch/call-event']) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{"a": ' });
      const text = await res.text();
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(text, path).not.toMatch(/\/work|node_modules|at /);
    }
  });
});

describe('paramAt', () => {
  it('names the parameter at the undecodable segment, and nothing for another route', () => {
    expect(paramAt('/config/:enterprise/:type', '/config/0367/%ZZ')).toBe('type');
    expect(paramAt('/config/:enterprise/:type', '/config/%ZZ/retailcrm')).toBe('enterprise');
    expect(paramAt('/config/:enterprise', '/config/0367/%ZZ')).toBeUndefined();
    expect(paramAt('/integrations/:enterprise', '/config/%ZZ')).toBeUndefined();
    expect(paramAt('/trace/:id', '/trace/1.1')).toBeUndefined();
  });
});
