import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { Producers } from '@callpipe/queues';
import { testConfig, testLogger, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { CrmRequestError, type CrmAdapter, type CrmRequest } from '../adapter.js';
import { CrmBreaker } from '../breaker/breaker.js';
import { attemptSink } from './attemptSink.js';
import { classifyHttp } from './classifyHttp.js';
import { createCrmHttp, type CrmHttpDeps } from './executor.js';
import { CrmBreakerOpenError } from './transportError.js';

// A tiny CRM: each test sets how it answers; it records what it received.
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end('{}');
const received: { url: string; body: string; headers: IncomingMessage['headers'] }[] = [];
let server: Server;
let base = '';

const config = testConfig();
const redis = new Redis(config.redisUrl);
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 4, applicationName: 'crm-http-test' }));
const producers = new Producers(redis, config.queuePrefix);
const log = testLogger();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      received.push({ url: req.url ?? '', body, headers: req.headers });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await producers.close();
  await redis.quit();
  await db.destroy();
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_q, _b, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const adapter = (limits: CrmAdapter['limits'] = {}): CrmAdapter => ({
  type: 'testcrm', title: 'Test CRM', limits,
  popup: async () => undefined, close: async () => undefined, history: async () => undefined,
  customer: async () => null, responsibleExtension: async () => null,
  classify: (outcome) => classifyHttp(outcome),
});

function deps(over: Partial<CrmHttpDeps> = {}): CrmHttpDeps {
  return {
    redis, prefix: config.queuePrefix,
    breaker: new CrmBreaker(redis, config.queuePrefix, { failureThreshold: 3, openMs: 400, maxOpenMs: 2000, probeLeaseMs: 1000 }),
    sink: attemptSink(db, producers), timeoutMs: 300, limiterMaxWaitMs: 50, ...over,
  };
}

function http(enterprise: string, d = deps(), a = adapter(), callRefs = ['1700000000.1']) {
  return createCrmHttp(d, {
    adapter: a, account: { enterprise, type: 'testcrm', settings: { enabled: true, api_key: 'secret-key-123' } },
    action: 'popup', callRefs, attempt: 1, log,
  });
}

const request = (over: Partial<CrmRequest> = {}): CrmRequest => ({
  method: 'POST', url: `${base}/api/v5/telephony/call/event`, what: 'call/event in',
  headers: { 'X-API-KEY': 'secret-key-123' }, form: { clientId: '0367', event: '{"phone":"+375291234567"}' }, secrets: ['X-API-KEY'], ...over,
});

async function reject(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('createCrmHttp', () => {
  it('sends the form, returns the parsed answer, and logs the attempt with the key masked to integration_logs and the trace', async () => {
    const { number } = uniqueEnterprise();
    handler = json(200, { success: true, notExistCodes: [] });
    const res = await http(number).send(request());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, notExistCodes: [] });
    const last = received.at(-1)!;
    expect(last.headers['x-api-key']).toBe('secret-key-123');
    expect(new URLSearchParams(last.body).get('event')).toBe('{"phone":"+375291234567"}');

    const rows = await db.selectFrom('integration_logs').selectAll().where('enterprise_number', '=', number).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ integration_type: 'testcrm', event_type: 'popup', call_unique_id: '1700000000.1', status: 'success', http_status: 200, attempt: 1 });
    expect(JSON.stringify(rows[0]!.request_data)).not.toContain('secret-key-123');
    expect(JSON.stringify(rows[0]!.request_data)).toContain('***');

    const jobs = await producers.queue('callLog').getJobs(['waiting', 'delayed', 'prioritized']);
    const mine = jobs.filter((j) => j.data.enterprise === number);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.data).toMatchObject({ kind: 'integration', callRef: '1700000000.1', integration: 'testcrm', status: 'success', httpStatus: 200 });
  });

  it('a timeout is a retry, after at most the timeout', async () => {
    const { number } = uniqueEnterprise();
    handler = (_q, _b, res) => { setTimeout(() => res.end('{}'), 1000); };
    const started = Date.now();
    const err = await reject(http(number).send(request()));
    expect(Date.now() - started).toBeLessThan(900);
    expect(err).toBeInstanceOf(CrmRequestError);
    expect((err as CrmRequestError).verdict).toMatchObject({ kind: 'retry' });
    expect((err as CrmRequestError).verdict.reason).toMatch(/^timeout/);
  });

  it('401 is fatal and marked as a credentials problem', async () => {
    const { number } = uniqueEnterprise();
    handler = json(401, { success: false, errorMsg: 'Wrong "apiKey" value.' });
    const err = await reject(http(number).send(request()));
    expect((err as CrmRequestError).verdict).toMatchObject({ kind: 'fatal', auth: true });
  });

  it('opens the breaker after 3 failures in a row, sends nothing while open, and closes after a good probe', async () => {
    const { number } = uniqueEnterprise();
    const { number: other } = uniqueEnterprise();
    const d = deps();
    handler = json(500, { success: false, errorMsg: 'down' });
    for (let i = 0; i < 3; i += 1) expect(await reject(http(number, d).send(request()))).toBeInstanceOf(CrmRequestError);
    expect(await d.breaker.state(number, 'testcrm')).toBe('open');

    const before = received.length;
    const held = await reject(http(number, d).send(request()));
    expect(held).toBeInstanceOf(CrmBreakerOpenError);
    expect((held as CrmBreakerOpenError).retryInMs).toBeGreaterThan(0);
    expect(received.length).toBe(before);

    // Another enterprise on the same CRM is not held back.
    handler = json(200, { success: true });
    await http(other, d).send(request());
    expect(received.length).toBe(before + 1);

    await new Promise((r) => setTimeout(r, 450));
    await http(number, d).send(request());
    expect(await d.breaker.state(number, 'testcrm')).toBe('closed');
    const listed = (await d.breaker.list()).find((b) => b.enterprise === number);
    expect(listed).toMatchObject({ state: 'closed', integration: 'testcrm' });
  });

  it('a failed probe opens it again for twice as long', async () => {
    const { number } = uniqueEnterprise();
    const d = deps();
    handler = json(503, {});
    for (let i = 0; i < 3; i += 1) await reject(http(number, d).send(request()));
    await new Promise((r) => setTimeout(r, 450));
    await reject(http(number, d).send(request()));
    const status = (await d.breaker.list()).find((b) => b.enterprise === number)!;
    expect(status.state).toBe('open');
    const openFor = Date.parse(status.openUntil!) - Date.now();
    expect(openFor).toBeGreaterThan(500);
    expect(openFor).toBeLessThanOrEqual(800);
  });

  it('429 with Retry-After holds the account for every process; rate-limited answers do not open the breaker', async () => {
    const { number } = uniqueEnterprise();
    const d = deps();
    const a = adapter({ api: { requests: 100, perMs: 1000 } });
    handler = json(429, { success: false }, { 'retry-after': '1' });
    const err = await reject(http(number, d, a).send(request()));
    expect((err as CrmRequestError).verdict).toMatchObject({ kind: 'rate-limited', waitMs: 1000 });
    // A second process (its own executor) is held too: it does not send before the wait is over.
    handler = json(200, { success: true });
    const before = received.length;
    const held = await reject(http(number, deps(), a).send(request()));
    expect((held as CrmRequestError).verdict.kind).toBe('rate-limited');
    expect((held as CrmRequestError).verdict).toMatchObject({ kind: 'rate-limited' });
    expect(received.length).toBe(before);
    expect(await d.breaker.state(number, 'testcrm')).toBe('closed');
    await new Promise((r) => setTimeout(r, 1000));
    await http(number, d, a).send(request());
    expect(received.length).toBe(before + 1);
  });

  it('keeps every process under 90% of the account limit: 10 a minute lets 9 through at once', async () => {
    const { number } = uniqueEnterprise();
    // A minute, so no token comes back while the requests run, however loaded the machine.
    const a = adapter({ api: { requests: 10, perMs: 60_000 } });
    handler = json(200, { success: true });
    const before = received.length;
    const results = await Promise.allSettled(Array.from({ length: 14 }, (_, i) => http(number, deps(), a, [`c${i}`]).send(request())));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(9);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect((r.reason as CrmRequestError).verdict.kind).toBe('rate-limited');
    }
    expect(received.length).toBe(before + 9);
  });
});
