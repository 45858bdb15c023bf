/**
 * Click-to-call from RetailCRM against the sandbox AMI (a real TCP AMI server): the seed's three cases,
 * the request errors, each PBX failure as a 502 with its reason, every attempt in integration_logs
 * with no secret, managers' statuses, and a placed call that ends as one call-log record whose trace
 * says it was started from the CRM.
 */
import type { Job } from 'bullmq';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAway, managerStatusOf } from '@callpipe/ami';
import { createDb, createPool } from '@callpipe/db';
import { eventKey, type EventType } from '@callpipe/events';
import { Producers, type CallLogJob } from '@callpipe/queues';
import { getJson, postJson } from '../../../../test/support/httpClient.js';
import { listen } from '../../../../test/support/listen.js';
import { testConfig, testLogger, uniqueEnterprise, waitFor } from '../../../../test/support/testEnv.js';
import { AmiSandbox } from '../../../sandbox/src/ami/index.js';
import type { GeneratedCall } from '../../../sandbox/src/emulator/index.js';
import { callLogProcessor } from '../../../workers/src/processors/callLog.js';
import { createGateway, type Gateway } from '../gateway.js';

const SECRET = 'click-to-call-ami-secret';
const config = testConfig({ AMI_CONNECT_TIMEOUT_MS: '600', AMI_ORIGINATE_TIMEOUT_MS: '2500' });
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 4, applicationName: 'click-to-call-test' }));
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const producers = new Producers(redis, config.queuePrefix);
const placed: GeneratedCall[] = [];
const pbx = new AmiSandbox({ username: 'crm', secret: SECRET, token: 'unused', answerMs: 50, placeCall: async (c) => { placed.push(c); } });
const slowPbx = new AmiSandbox({ username: 'crm', secret: SECRET, token: 'unused', slowMs: 5000 });
let gateway: Gateway;
let base: string;
let close: () => Promise<void>;

/** Enterprises of this test: each with its own AMI settings. */
const ok = uniqueEnterprise();
const badLogin = uniqueEnterprise();
const closedPort = uniqueEnterprise();
const slow = uniqueEnterprise();

async function addEnterprise(e: { number: string; name: string; token: string }, ami: Record<string, unknown>): Promise<void> {
  await db.insertInto('enterprises').values({
    number: e.number, name: e.name, name2: e.token, active: true,
    integrations_config: JSON.stringify({ ami: { enabled: true, username: 'crm', context: 'inoffice', ...ami }, retailcrm: { user_extensions: { 19: '150', 18: '151', 22: null } } }),
  }).execute();
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)));
  await new Promise((r) => s.close(r));
  return port;
}

const logsOf = (enterprise: string) => db.selectFrom('integration_logs').selectAll().where('enterprise_number', '=', enterprise).orderBy('id').execute();
const query = (p: Record<string, string>) => `/retailcrm/make-call?${new URLSearchParams(p).toString()}`;
const PHONE = '+375296254070';

beforeAll(async () => {
  const [port, slowPort] = [await pbx.listen(0), await slowPbx.listen(0)];
  slowPbx.setMode('slow');
  await addEnterprise(ok, { host: '127.0.0.1', port, secret: SECRET });
  await addEnterprise(badLogin, { host: '127.0.0.1', port, secret: 'not-the-secret' });
  await addEnterprise(closedPort, { host: '127.0.0.1', port: await freePort(), secret: SECRET });
  await addEnterprise(slow, { host: '127.0.0.1', port: slowPort, secret: SECRET });
  gateway = createGateway(config, testLogger());
  ({ base, close } = await listen(gateway.app));
});

afterAll(async () => {
  await close();
  await gateway.stop();
  await Promise.all([pbx.close(), slowPbx.close()]);
  await producers.queue('callLog').obliterate({ force: true });
  await producers.close();
  redis.disconnect();
  await db.destroy();
});

const originates = () => pbx.records.filter((r) => r.action.toLowerCase() === 'originate');

describe('GET/POST /retailcrm/make-call', () => {
  it('seed case 1: userId 19 rings extension 150, then dials the customer', async () => {
    const before = originates().length;
    const reply = await getJson(base, query({ clientId: ok.number, userId: '19', phone: PHONE }));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ success: true, extension: '150', phone: PHONE, enterprise_number: ok.number });
    const sent = originates()[before]!;
    expect(sent.fields).toMatchObject({ channel: 'Local/150@inoffice', application: 'Dial', data: `Local/${PHONE}@inoffice`, async: 'true' });
    expect(sent.fields.variable).toContain('CALLPIPE_ORIGIN=retailcrm');
  });

  it('seed case 2: code 151 wins over userId 99 (POST, form body)', async () => {
    const before = originates().length;
    const res = await fetch(`${base}/retailcrm/make-call`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ clientId: ok.number, userId: '99', phone: PHONE, code: '151' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, extension: '151' });
    expect(originates()[before]!.fields.channel).toBe('Local/151@inoffice');
  });

  it('seed case 3: unknown user 999 is a 400 "No extension configured for user 999", nothing originated', async () => {
    const before = originates().length;
    const reply = await postJson(base, '/retailcrm/make-call', { clientId: ok.number, userId: 999, phone: PHONE });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: 'no_extension', message: 'No extension configured for user 999' });
    expect(originates()).toHaveLength(before);
  });

  it('a bad phone is a 400; the phone is normalised to E.164 otherwise', async () => {
    const bad = await getJson(base, query({ clientId: ok.number, userId: '19', phone: 'call me' }));
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_phone', field: 'phone' } });
    const national = await getJson(base, query({ clientId: ok.number, userId: '18', phone: '8 (029) 625-40-70' }));
    expect(national.status).toBe(200);
    expect(originates().at(-1)!.fields.data).toBe(`Local/${PHONE}@inoffice`);
  });

  it('an unknown clientId is a 403 (a host token or a name does not count)', async () => {
    expect((await getJson(base, query({ clientId: 'nobody', userId: '19', phone: PHONE }))).status).toBe(403);
    expect((await getJson(base, query({ clientId: ok.token, userId: '19', phone: PHONE }))).status).toBe(403);
    expect((await getJson(base, query({ userId: '19', phone: PHONE }))).status).toBe(403);
  });

  it('a login the PBX refuses is a 502 naming it, with no secret in the answer or the log', async () => {
    const reply = await getJson(base, query({ clientId: badLogin.number, userId: '19', phone: PHONE }));
    expect(reply.status).toBe(502);
    expect(reply.body).toMatchObject({ error: 'login_failed' });
    expect(String(reply.body.message)).toContain('Authentication failed');
    const rows = await logsOf(badLogin.number);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ integration_type: 'retailcrm', event_type: 'make_call', status: 'error', http_status: 502 });
    expect(JSON.stringify(rows)).not.toContain('not-the-secret');
    expect(JSON.stringify(rows[0]!.request_data)).toContain('[masked]');
  });

  it('a PBX that cannot be reached (a closed port) is a 502 unreachable', async () => {
    const reply = await getJson(base, query({ clientId: closedPort.number, userId: '19', phone: PHONE }));
    expect(reply).toMatchObject({ status: 502, body: { error: 'unreachable' } });
    expect(String(reply.body.message)).toContain('ECONNREFUSED');
  });

  it('a PBX that does not answer is a 502 timeout within the configured bound', async () => {
    const t0 = Date.now();
    const reply = await getJson(base, query({ clientId: slow.number, userId: '19', phone: PHONE }));
    expect(reply).toMatchObject({ status: 502, body: { error: 'timeout' } });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(slowPbx.records.map((r) => r.action.toLowerCase())).toContain('login');
  });

  it('a PBX that refuses the originate is a 502 with its reason', async () => {
    pbx.setMode('refuse');
    try {
      const reply = await getJson(base, query({ clientId: ok.number, userId: '19', phone: PHONE }));
      expect(reply).toMatchObject({ status: 502, body: { error: 'refused' } });
      expect(String(reply.body.message)).toContain('reason 8');
    } finally {
      pbx.setMode('normal');
    }
  });

  it('logs every attempt of a known enterprise to integration_logs without the AMI secret', async () => {
    const rows = await logsOf(ok.number);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.map((r) => r.http_status)).toEqual(expect.arrayContaining([200, 400, 502]));
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    const placedRow = rows.find((r) => r.http_status === 200)!;
    expect(placedRow.call_unique_id).toMatch(/^\d+\.\d+$/);
  });
});

describe('a click-to-call ends as a call record started from the CRM', () => {
  it('the placed call\'s events and the gateway\'s entry make one record whose trace shows the CRM start', async () => {
    const before = placed.length;
    const reply = await getJson(base, query({ clientId: ok.number, userId: '19', phone: '+375291234567' }));
    expect(reply.status).toBe(200);
    const uniqueId = String(reply.body.uniqueId);
    const call = await waitFor(async () => placed[before], 'the sandbox AMI to place the call');
    expect(call.expected.uniqueIds[0]).toBe(uniqueId);
    // The gateway's trace entry, queued on call-log, keyed by the originated channel's Uniqueid.
    const queued = (await producers.queue('callLog').getWaiting(0, 200)).map((j) => j.data);
    const entry = queued.find((j) => j.kind === 'integration' && j.callRef === uniqueId);
    expect(entry).toMatchObject({ integration: 'retailcrm', operation: 'make_call', status: 'success', enterprise: ok.number });
    // The call's events as the events worker files them, then the entry, through the real call-log processor.
    const run = callLogProcessor(undefined, { steps: [] });
    const ctx = { db, log: testLogger(), producers };
    const t0 = Date.now();
    const jobs: CallLogJob[] = [
      entry!,
      ...call.events.map((e, i): CallLogJob => ({
        kind: 'event', enterprise: ok.number, eventKey: eventKey(e.type as EventType, e.body), eventType: e.type, body: { ...e.body },
        receivedAt: new Date(t0 + e.offsetMs).toISOString(), seq: (t0 + e.offsetMs) * 1000 + i, source: 'live',
      })),
    ];
    for (const data of jobs) await run({ data, id: 'x', attemptsMade: 0 } as unknown as Job<CallLogJob>, ctx);
    const ids = await db.selectFrom('call_ids').select(['id_value', 'call_id']).where('enterprise_number', '=', ok.number)
      .where('id_value', 'in', call.expected.uniqueIds).execute();
    expect(new Set(ids.map((r) => r.call_id)).size).toBe(1);
    const callId = ids[0]!.call_id;
    const entries = await db.selectFrom('call_trace_entries').select(['kind', 'data']).where('enterprise_number', '=', ok.number).where('call_id', '=', callId).execute();
    expect(entries.filter((x) => x.kind === 'event')).toHaveLength(call.events.length);
    const started = entries.find((x) => x.kind === 'integration');
    expect(started?.data).toMatchObject({ integration: 'retailcrm', operation: 'make_call', status: 'success' });
    const trace = await db.selectFrom('call_traces').select(['direction', 'phones', 'extensions', 'unique_ids']).where('enterprise_number', '=', ok.number).where('call_id', '=', callId).executeTakeFirstOrThrow();
    expect(trace.direction).toBe('out');
    expect(trace.phones.join(',')).toContain('375291234567');
    expect(trace.extensions).toContain('150');
    expect(trace.unique_ids).toContain(uniqueId);
  });
});

describe('GET/POST /retailcrm/status (changeUserStatusUrl)', () => {
  it('records a manager\'s status by user id and extension; away statuses are away', async () => {
    const reply = await postJson(base, '/retailcrm/status', { clientId: ok.number, userId: 19, status: 'break' });
    expect(reply).toMatchObject({ status: 200, body: { success: true, extension: '150', managerStatus: 'break' } });
    expect(isAway(await managerStatusOf(redis, config.queuePrefix, ok.number, { extension: '150' }))).toBe(true);
    await getJson(base, `/retailcrm/status?${new URLSearchParams({ clientId: ok.number, code: '150', status: 'free' }).toString()}`);
    expect(isAway(await managerStatusOf(redis, config.queuePrefix, ok.number, { extension: '150' }))).toBe(false);
    expect((await postJson(base, '/retailcrm/status', { clientId: ok.number, userId: 19 })).status).toBe(400);
    expect((await postJson(base, '/retailcrm/status', { clientId: 'nobody', userId: 19, status: 'free' })).status).toBe(403);
    expect((await logsOf(ok.number)).filter((r) => r.event_type === 'user_status').length).toBe(3);
  });
});
