import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATTERN_IDS, seededRandom, shuffled } from '../callLog/emulatedCalls.js';
import { CrmHarness, FAST } from './crmHarness.js';

const h = new CrmHarness({ ...FAST, crmHistoryDelayMs: 1500 });
beforeAll(async () => { await h.startSandbox(); });
afterAll(async () => { await h.close(); });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function report(s: Awaited<ReturnType<CrmHarness['scenario']>>, label: string) {
  const refs = new Map<string, string>();
  for (const c of s.calls) for (const f of c.records) refs.set(f.callRef, `${c.pattern} ${f.direction} ${f.customerPhone}`);
  const log = h.sandbox.state.requestLog({ account: s.account }).filter((r) => r.path === 'telephony/call/event' && r.status === 200);
  const stray = log.map((r) => r.params.event as Record<string, unknown>).filter((e) => !refs.has(String(e.callExternalId)));
  const acc = h.sandbox.state.account(s.account)!;
  const open = [...acc.popups.values()].flatMap((m) => [...m.values()]);
  console.log(label, 'stray', JSON.stringify(stray), 'open', JSON.stringify(open.map((p) => [p.callExternalId, p.phone, p.type, refs.get(p.callExternalId ?? '')])));
}

describe('diag', () => {
  it('in order', async () => {
    await h.startWorkers(1, { concurrency: { callLog: 1, crmDispatch: 8 } });
    const s = await h.scenario(PATTERN_IDS);
    for (const c of s.calls) await h.feed(c.call.jobs(s.enterprise));
    await h.settle(120_000);
    report(s, 'INORDER');
    await h.stopWorkers();
    expect(1).toBe(1);
  });
  it('shuffled', async () => {
    await h.startWorkers(2, { concurrency: { callLog: 4, crmDispatch: 8 } });
    const s = await h.scenario(PATTERN_IDS, { seed: 21 });
    const random = seededRandom(42);
    for (const c of s.calls) { await h.feed(shuffled(c.call.jobs(s.enterprise), random)); await sleep(30); }
    await h.settle(120_000);
    report(s, 'SHUFFLED');
    await h.stopWorkers();
    expect(1).toBe(1);
  });
});
