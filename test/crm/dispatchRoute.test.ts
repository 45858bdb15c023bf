import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../apps/gateway/src/gateway.js';
import { postJson } from '../support/httpClient.js';
import { listen } from '../support/listen.js';
import { testLogger } from '../support/testEnv.js';
import { config, CrmHarness } from './crmHarness.js';
import { problemsOf, receivedFor } from './expected.js';

const h = new CrmHarness();
let gateway: Gateway;
let base = '';
let closeGateway: () => Promise<void>;
beforeAll(async () => {
  await h.startSandbox();
  gateway = createGateway(config, testLogger());
  await gateway.start();
  ({ base, close: closeGateway } = await listen(gateway.app));
});
afterAll(async () => {
  await closeGateway();
  await gateway.stop();
  await h.close();
});

describe('POST /dispatch/call-event (the old services\' body) reaches the CRM the same way', () => {
  it('each event of a call posted in the old shape: the popup, the hangup last and one history row', async () => {
    await h.startWorkers(1);
    const s = await h.scenario(['1-1', '2-1']);
    for (const c of s.calls) {
      for (const e of c.call.call.events) {
        const raw = { ...e.body, Token: s.token };
        const r = await postJson(base, '/dispatch/call-event', { token: s.token, uniqueId: String(raw.UniqueId ?? raw.BridgeUniqueid ?? 'x'), event_type: e.type, raw });
        expect(r.status).toBe(202);
      }
    }
    await h.settle();
    for (const c of s.calls) for (const f of c.records) expect(problemsOf(f, receivedFor(h.sandbox, s.account, f.callRef), s.users)).toEqual([]);
    expect(h.sandbox.state.account(s.account)!.history.size).toBeGreaterThanOrEqual(2);
    // Each attempt is on its call's trace (the trace page's CRM table): popup, hangup and history of the first call.
    const first = s.calls[0]!.records[0]!;
    const entries = await h.db.selectFrom('call_trace_entries').select(['call_id', 'kind', 'event_type', 'data']).where('enterprise_number', '=', s.enterprise).execute();
    const record = entries.find((t) => t.kind === 'event' && (t.data.body as Record<string, unknown>).UniqueId === first.callRef)!.call_id;
    const traced = entries.filter((t) => t.kind === 'integration');
    const ofFirst = traced.filter((t) => t.call_id === record);
    expect(ofFirst.map((t) => String(t.event_type).split(':')[0]).sort()).toEqual(['close', 'history', 'popup']);
    for (const t of traced) expect(JSON.stringify(t.data)).not.toContain(s.apiKey);
    await h.stopWorkers();
  });
});
