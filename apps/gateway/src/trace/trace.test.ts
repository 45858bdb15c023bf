import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { getJson } from '../../../../test/support/httpClient.js';
import { listen } from '../../../../test/support/listen.js';
import { testConfig, testLogger, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { seedTransferredCall, type SeededTrace } from '../../../../test/callLog/seedTrace.js';
import { sortedCopy } from '../../../../test/callLog/emulatedCalls.js';
import { createGateway, type Gateway } from '../gateway.js';
import type { TraceView } from './view.js';

const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

describe('call trace read side', () => {
  const config = testConfig({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 'night-shift' });
  const enterprise = uniqueEnterprise().number;
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'trace-test' }));
  const start = new Date('2026-03-05T08:00:00Z');
  let seeded: SeededTrace;
  let gateway: Gateway;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    seeded = await seedTransferredCall(db, enterprise, start);
    // A second call a day later, for the search filters and paging.
    await seedTransferredCall(db, enterprise, new Date('2026-03-06T08:00:00Z'), 1);
    gateway = createGateway(config, testLogger());
    ({ base, close } = await listen(gateway.app));
  });
  afterAll(async () => {
    await close();
    await gateway.stop();
    await db.destroy();
  });

  it('answers GET /trace/{id} for any UniqueId or BridgeUniqueid of the call with the whole call', async () => {
    const x = seeded.call.call.expected;
    const byChannel = await getJson(base, `/trace/${x.uniqueIds.at(-1)}`);
    expect(byChannel.status).toBe(200);
    const view = byChannel.body as unknown as TraceView;
    const byBridge = (await getJson(base, `/trace/${x.bridgeUniqueIds[1]}`)).body as unknown as TraceView;
    expect(byBridge.call_id).toBe(view.call_id);
    expect(view.enterprise_number).toBe(enterprise);
    expect(view.ids).toEqual({ unique_ids: sortedCopy(x.uniqueIds), bridge_unique_ids: sortedCopy(x.bridgeUniqueIds) });
    expect(view.summary).toMatchObject({ direction: 'in', status: 'answered', answered: true, phones: sortedCopy(x.externalPhones), duration_sec: x.durationSec, event_count: x.eventCount });
    expect(view.counts).toEqual({ event: x.eventCount, telegram: 4, http: 1, sql: 1, integration: 2, total: x.eventCount + 8 });
  });

  it('sorts the timeline by time and masks secrets in it', async () => {
    const view = (await getJson(base, `/trace/${seeded.call.call.expected.uniqueIds[0]}`)).body as unknown as TraceView;
    const times = view.timeline.map((i) => Date.parse(i.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(view.timeline[0]!.offset_ms).toBe(0);
    const text = JSON.stringify(view);
    expect(text).not.toContain('tok-call-log-test');
    expect(text).not.toContain('Sup3rS3cretKey');
    expect(view.timeline.find((i) => i.kind === 'event')!.data).toMatchObject({ body: { Token: 'tok-…(17)' }, source: 'live' });
  });

  it('answers 404 for an id no call has', async () => {
    const reply = await getJson(base, '/trace/1700000000.999999');
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: 'unknown_call' });
  });

  it('searches by enterprise (required), phone, dates, direction and status, with paging', async () => {
    const missing = await getJson(base, '/search?phone=375291234567');
    expect(missing).toMatchObject({ status: 400, body: { field: 'enterprise' } });
    expect(await getJson(base, `/search?enterprise=${enterprise}&direction=sideways`)).toMatchObject({ status: 400, body: { field: 'direction' } });
    expect(await getJson(base, `/search?enterprise=${enterprise}&from=yesterday`)).toMatchObject({ status: 400, body: { field: 'from' } });

    const all = await getJson(base, `/search?enterprise=${enterprise}`);
    expect(all.body).toMatchObject({ total: 2 });
    const phone = seeded.call.call.expected.externalPhones[0]!;
    const byPhone = await getJson(base, `/search?enterprise=${enterprise}&phone=%2B${phone}`);
    expect((byPhone.body.calls as { unique_ids: string[] }[]).map((c) => c.unique_ids)).toEqual([sortedCopy(seeded.call.call.expected.uniqueIds)]);
    const firstDay = await getJson(base, `/search?enterprise=${enterprise}&from=2026-03-05&to=2026-03-05&direction=in&status=answered`);
    expect(firstDay.body).toMatchObject({ total: 1 });
    expect(await getJson(base, `/search?enterprise=${enterprise}&status=missed`)).toMatchObject({ body: { total: 0, calls: [] } });
    const page2 = await getJson(base, `/search?enterprise=${enterprise}&limit=1&offset=1`);
    expect(page2.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect((page2.body.calls as { start_time: string }[])[0]!.start_time).toBe(start.toISOString());
  });

  it('lists an enterprise\'s events of one day in time order', async () => {
    const day = await getJson(base, `/enterprise/${enterprise}/events?date=2026-03-05`);
    expect(day.status).toBe(200);
    const events = day.body.events as { event_type: string; timestamp: string; call_id: string }[];
    expect(events).toHaveLength(seeded.call.call.expected.eventCount);
    expect(events.map((e) => e.timestamp)).toEqual(events.map((e) => e.timestamp).sort());
    expect(await getJson(base, `/enterprise/${enterprise}/events?date=05.03.2026`)).toMatchObject({ status: 400, body: { field: 'date' } });
  });

  it('shows the trace page only to a logged-in operator, and says so when the id is unknown', async () => {
    const id = seeded.call.call.expected.uniqueIds[2]!;
    expect((await fetch(`${base}/trace-ui/${id}`)).status).toBe(401);
    const page = await fetch(`${base}/trace-ui/${id}`, { headers: basic('ops', 'night-shift') });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const uid of seeded.call.call.expected.uniqueIds) expect(html).toContain(uid);
    expect(html).not.toContain('Sup3rS3cretKey');
    const missing = await fetch(`${base}/trace-ui/nope.1`, { headers: basic('ops', 'night-shift') });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No call has the id');
  });
});
