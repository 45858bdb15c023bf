import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { eventKey } from '@callpipe/events';
import { queues, type EventJob } from '@callpipe/queues';
import { getJson, postJson } from '../../../../test/support/httpClient.js';
import { deleteKeys, serveGateway } from '../../../../test/support/gatewayServer.js';
import { testConfig, uniqueEnterprise } from '../../../../test/support/testEnv.js';

const API_TOKEN = 'gw-test-token-0123456789';
const RETAIL_KEY = 'NsX6ZE1W6C8vOkkcNm2NBNLzwVJxLNvl';
const bearer = { authorization: `Bearer ${API_TOKEN}` };

describe('gateway 8020 API', () => {
  const config = testConfig({ GATEWAY_API_TOKEN: API_TOKEN });
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'gateway-api-test' }));
  const e = uniqueEnterprise();
  let base: string;
  let close: () => Promise<void>;
  let redis: Redis;
  let queue: Queue<EventJob>;

  beforeAll(async () => {
    await db.insertInto('enterprises').values({
      number: e.number, name: e.name, name2: e.token, active: true,
      integrations_config: JSON.stringify({
        retailcrm: { enabled: true, domain: 'https://example.retailcrm.ru', api_key: RETAIL_KEY, user_extensions: { 19: '150' } },
        ms: { enabled: false, api_token: 'cd5134fa1beec235ed6cc3c4973d4daf540bab8b' },
        uon: { enabled: true }, // enabled without its api_key: fails the schema
        smart: { primary: 'retailcrm' },
      }),
    }).execute();
    const user = await db.insertInto('users').values({ enterprise_number: e.number, first_name: 'Джулай', last_name: 'Джуновый' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('user_internal_phones').values({ enterprise_number: e.number, phone_number: '150', user_id: user.id }).execute();
    await db.insertInto('customers').values({ enterprise_number: e.number, phone_e164: '+375296254071', first_name: 'Иван', last_name: 'Петров', enterprise_name: 'ООО Ромашка' }).execute();
    await db.insertInto('customers').values({ enterprise_number: e.number, phone_e164: '+375290000001', enterprise_name: 'ООО Лютик' }).execute();
    await db.insertInto('gsm_lines').values({ enterprise_number: e.number, line_id: '0001363', line_name: 'МТС Главный офис', phone_number: '+375296254070', operator: 'MTS' }).execute();
    await db.insertInto('sip_lines').values({ enterprise_number: e.number, line_name: 'sip-main', phone_number: '+375172000000', provider: 'A1' }).execute();

    redis = new Redis(config.redisUrl);
    queue = new Queue(queues.events.name, { connection: redis, prefix: config.queuePrefix });
    ({ base, close } = await serveGateway(config, true));
  });

  afterAll(async () => {
    await close();
    await queue.obliterate({ force: true });
    await queue.close();
    await deleteKeys(redis, `${config.queuePrefix}:*`);
    redis.disconnect();
    await db.destroy();
  });

  describe('integrations and config', () => {
    it('answers the on/off matrix in the old shape, by number, name or host token', async () => {
      const reply = await getJson(base, `/integrations/${e.number}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        integrations: { retailcrm: true, ms: false, uon: false, smart: false },
        enterprise_number: e.number, source: 'cache',
      });
      const { created_at, expires_at, age_seconds } = reply.body as Record<string, number>;
      expect(expires_at! - created_at!).toBeCloseTo(90, 3);
      expect(age_seconds).toBeGreaterThanOrEqual(0);
      for (const id of [e.name, e.name.toUpperCase(), e.token]) {
        expect((await getJson(base, `/integrations/${encodeURIComponent(id)}`)).body.enterprise_number).toBe(e.number);
      }
    });

    it('answers 404 for an enterprise nobody has', async () => {
      const reply = await getJson(base, '/integrations/no-such-enterprise');
      expect(reply).toMatchObject({ status: 404, body: { status: 'error', error: 'unknown_enterprise' } });
      expect((await getJson(base, '/config/no-such-enterprise')).status).toBe(404);
      expect((await getJson(base, '/config/no-such-enterprise/retailcrm')).status).toBe(404);
    });

    it('masks secrets in config answers to a loopback caller without the token, and shows them to a token holder', async () => {
      const masked = await getJson(base, `/config/${e.number}`);
      expect(masked.status).toBe(200);
      expect(masked.body).toMatchObject({
        enterprise_number: e.number, source: 'cache', primary: 'retailcrm', secrets: 'masked',
        integrations: { retailcrm: { enabled: true, domain: 'https://example.retailcrm.ru', api_key: 'NsX6…(32)', user_extensions: { 19: '150' } } },
        invalid_integrations: [{ integration: 'uon', error: 'api_key is required when enabled' }],
      });
      expect(JSON.stringify(masked.body)).not.toContain(RETAIL_KEY);
      expect(JSON.stringify(masked.body)).not.toContain('cd5134fa1beec235');

      const shown = await getJson(base, `/config/${e.name}`, bearer);
      expect(shown.body).toMatchObject({ secrets: 'shown', integrations: { retailcrm: { api_key: RETAIL_KEY } } });

      const one = await getJson(base, `/config/${e.number}/retailcrm`);
      expect(one.body).toMatchObject({ enterprise_number: e.number, integration_type: 'retailcrm', config: { api_key: 'NsX6…(32)' }, source: 'cache' });
      expect((await getJson(base, `/config/${e.number}/retailcrm`, bearer)).body).toMatchObject({ config: { api_key: RETAIL_KEY } });
    });

    it('answers 404 for an integration that is not configured, or whose settings fail their schema', async () => {
      expect(await getJson(base, `/config/${e.number}/bitrix24`)).toMatchObject({ status: 404, body: { error: 'unknown_integration' } });
      const invalid = await getJson(base, `/config/${e.number}/uon`);
      expect(invalid).toMatchObject({ status: 404, body: { error: 'invalid_integration' } });
      expect(invalid.body.message).toMatch(/api_key is required when enabled/);
    });

    it('refuses a wrong bearer token even from loopback, and a proxied request without one', async () => {
      const wrong = await getJson(base, `/integrations/${e.number}`, { authorization: 'Bearer not-the-token' });
      expect(wrong).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      const proxied = await getJson(base, `/integrations/${e.number}`, { 'x-forwarded-for': '203.0.113.9' });
      expect(proxied.status).toBe(401);
      expect((await getJson(base, `/integrations/${e.number}`, { 'x-forwarded-for': '203.0.113.9', ...bearer })).status).toBe(200);
      expect((await getJson(base, '/health', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
    });
  });

  describe('cache administration and /stats', () => {
    it('invalidates one enterprise by any of its identifiers, so the next answer is read from the database', async () => {
      const reply = await postJson(base, `/cache/invalidate/${e.name}`, {});
      expect(reply).toEqual({ status: 200, body: { status: 'ok', enterprise_number: e.number, invalidated: true } });
      expect((await getJson(base, `/integrations/${e.number}`)).body.source).toBe('database');
      expect((await getJson(base, `/integrations/${e.number}`)).body.source).toBe('cache');
      expect((await postJson(base, '/cache/invalidate/no-such-enterprise', {})).status).toBe(404);
    });

    it('reloads every active enterprise on /cache/refresh and reports it in /stats with the old fields', async () => {
      const refreshed = await postJson(base, '/cache/refresh', {});
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.enterprises).toBeGreaterThanOrEqual(1);
      const stats = await getJson(base, '/stats');
      expect(stats.status).toBe(200);
      for (const field of ['hits', 'misses', 'refreshes', 'cache_size', 'config_hits', 'config_misses', 'config_cache_size',
        'last_full_refresh', 'total_requests', 'hit_rate_percent', 'config_hit_rate_percent', 'cache_entries', 'config_cache_entries']) {
        expect(stats.body).toHaveProperty(field);
      }
      expect(stats.body.last_full_refresh).toBe(refreshed.body.last_full_refresh);
      expect(stats.body.refreshes).toBeGreaterThanOrEqual(2); // the one at start and this one
      expect(stats.body.hits).toBeGreaterThan(0);
      expect(stats.body.cache_size).toBe(refreshed.body.enterprises);
      expect(stats.body.invalid_config_details).toEqual(expect.arrayContaining([
        { enterprise: e.number, integration: 'uon', error: 'api_key is required when enabled' },
      ]));
    });

    it('counts config cache hits and misses on /metrics', async () => {
      await getJson(base, `/integrations/${e.number}`);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(/callpipe_cache_requests_total\{cache="integrations",result="hit"\} [1-9]/);
      expect(text).toMatch(/callpipe_config_invalid [1-9]/);
    });
  });

  describe('customers and metadata', () => {
    it('names a known customer whatever form the phone comes in, and answers null for an unknown one', async () => {
      for (const phone of ['+375296254071', '375296254071', '80296254071']) {
        const reply = await getJson(base, `/customer-name/${e.number}/${encodeURIComponent(phone)}`);
        expect(reply).toMatchObject({ status: 200, body: { name: 'Петров Иван', phone: '+375296254071', primary: 'retailcrm', source: 'customers' } });
      }
      expect((await getJson(base, `/customer-name/${e.number}/375290000001`)).body.name).toBe('ООО Лютик');
      expect(await getJson(base, `/customer-name/${e.number}/375299999999`)).toMatchObject({ status: 200, body: { name: null } });
    });

    it('answers a customer profile with the name parts and the company', async () => {
      const reply = await getJson(base, `/customer-profile/${e.name}/375296254071`);
      expect(reply.body).toEqual({
        enterprise_number: e.number, phone: '+375296254071', found: true,
        last_name: 'Петров', first_name: 'Иван', middle_name: null, enterprise_name: 'ООО Ромашка',
        full_name: 'Петров Иван', primary: 'retailcrm', source: 'customers',
      });
    });

    it('answers no responsible extension until a CRM adapter can tell', async () => {
      expect((await getJson(base, `/responsible-extension/${e.number}/375296254071`)).body).toMatchObject({ extension: null, primary: 'retailcrm' });
    });

    it('refuses a phone that is not one (400 naming it) and an unknown enterprise (404)', async () => {
      expect(await getJson(base, `/customer-name/${e.number}/not-a-phone`)).toMatchObject({ status: 400, body: { error: 'invalid_body', field: 'phone' } });
      expect((await getJson(base, '/customer-name/no-such-enterprise/375296254071')).status).toBe(404);
      expect((await getJson(base, '/metadata/no-such-enterprise/manager/150')).status).toBe(404);
    });

    it('names the manager on an extension and the line behind a trunk id (GSM by id, SIP by name)', async () => {
      expect((await getJson(base, `/metadata/${e.number}/manager/150`)).body).toEqual({ enterprise_number: e.number, internal_phone: '150', full_name: 'Джуновый Джулай' });
      expect((await getJson(base, `/metadata/${e.number}/manager/199`)).body).toMatchObject({ full_name: null });
      expect((await getJson(base, `/metadata/${e.number}/line/0001363`)).body).toEqual({
        enterprise_number: e.number, line_id: '0001363', line_name: 'МТС Главный офис', phone_number: '+375296254070', kind: 'gsm', operator: 'MTS',
      });
      expect((await getJson(base, `/metadata/${e.number}/line/sip-main`)).body).toMatchObject({ line_name: 'sip-main', kind: 'sip', operator: 'A1' });
      expect((await getJson(base, `/metadata/${e.number}/line/0009999`)).body).toMatchObject({ line_name: null, kind: null });
    });
  });

  describe('POST /dispatch/call-event', () => {
    const raw = { UniqueId: '1759230684.16', Phone: '375296254070', CallType: '0', Extensions: ['150'], Trunk: '0001363' };

    it('queues the event on the events queue as ingest would (same payload and content key), once per resend window', async () => {
      const body = { token: e.token, uniqueId: '1759230684.16', event_type: 'dial', raw };
      const first = await postJson(base, '/dispatch/call-event', body);
      expect(first).toMatchObject({ status: 202, body: { status: 'queued', enterprise_number: e.number, state: 'waiting' } });
      const job = await queue.getJob(String(first.body.job_id));
      const expectedBody = { ...raw, CallType: 0, Token: e.token };
      expect(job?.name).toBe('dial');
      expect(job?.data).toMatchObject({ eventType: 'dial', enterprise: e.number, source: 'live', body: expectedBody });
      expect(job?.data.eventKey).toBe(eventKey('dial', expectedBody));
      expect(first.body.event_key).toBe(job?.data.eventKey);

      const again = await postJson(base, '/dispatch/call-event', body);
      expect(again).toMatchObject({ status: 200, body: { status: 'duplicate', job_id: first.body.job_id, state: 'waiting' } });
      expect(await queue.getJobCountByTypes('waiting')).toBe(1);
    });

    it('adds the record URL of a hangup to the event', async () => {
      const reply = await postJson(base, '/dispatch/call-event', {
        token: e.token, uniqueId: '1759230684.17', event_type: 'hangup', record_url: 'https://rec.example/f/1',
        raw: { Phone: '375296254070', CallType: 0, CallStatus: '2', Extensions: ['150'] },
      });
      expect(reply.status).toBe(202);
      const job = await queue.getJob(String(reply.body.job_id));
      expect(job?.data.body).toMatchObject({ UniqueId: '1759230684.17', RecordUrl: 'https://rec.example/f/1', CallStatus: 2 });
    });

    it('answers 400 naming the field for a malformed body, and queues nothing', async () => {
      const before = await queue.count();
      const cases: [unknown, string][] = [
        ['{"token": ', '(body)'],
        [[1, 2], '(body)'],
        [{ uniqueId: 'u', event_type: 'dial', raw }, 'token'],
        [{ token: e.token, uniqueId: 'u', event_type: 'ring', raw }, 'event_type'],
        [{ token: e.token, uniqueId: 'u', event_type: 'dial', raw: 'x' }, 'raw'],
        [{ token: e.token, uniqueId: 'u', event_type: 'dial', raw: { ...raw, UniqueId: 'u', CallType: 7 } }, 'raw.CallType'],
        [{ token: e.token, uniqueId: 'other', event_type: 'dial', raw }, 'raw.UniqueId'],
        [{ token: e.token, uniqueId: 'u', event_type: 'dial', raw: { ...raw, UniqueId: 'u', Token: 'someone-else' } }, 'raw.Token'],
      ];
      for (const [body, field] of cases) {
        const reply = await postJson(base, '/dispatch/call-event', body);
        expect(reply.status, JSON.stringify(body)).toBe(400);
        expect(reply.body.field, JSON.stringify(body)).toBe(field);
      }
      expect(await queue.count()).toBe(before);
    });

    it('answers 403 for a token that is no active enterprise\'s, even one that is an enterprise number', async () => {
      for (const token of ['no-such-token', e.number]) {
        const reply = await postJson(base, '/dispatch/call-event', { token, uniqueId: 'u1', event_type: 'dial', raw: { ...raw, UniqueId: 'u1' } });
        expect(reply).toMatchObject({ status: 403, body: { error: 'unknown_token' } });
      }
    });
  });
});
