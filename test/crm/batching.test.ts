import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmHarness, FAST } from './crmHarness.js';
import { problemsOf, receivedFor } from './expected.js';

const h = new CrmHarness({ ...FAST, crmHistoryDelayMs: 2000 });
beforeAll(async () => {
  await h.startSandbox();
});
afterAll(async () => {
  await h.close();
});

describe('history of calls ending together goes in batches', () => {
  it('120 calls ending at once: calls/upload requests of at most 50 calls, far fewer than calls, each call once, RetailCRM\'s limits kept', async () => {
    await h.startWorkers(2, { concurrency: { callLog: 8, crmDispatch: 32 } });
    const patterns = Array.from({ length: 120 }, (_, i) => (i % 2 ? '1-1' : '1-2'));
    const s = await h.scenario(patterns, { spacingMs: 0 });
    // The calls ring and talk first; then all 120 hang up at once.
    await h.feed(s.jobs.filter((j) => j.eventType !== 'hangup'));
    await h.settle(120_000);
    await h.feed(s.jobs.filter((j) => j.eventType === 'hangup'));
    await h.settle(120_000);
    const uploads = h.sandbox.state.requestLog({ account: s.account, path: 'telephony/calls/upload' });
    const ok = uploads.filter((r) => r.status === 200);
    const sizes = ok.map((r) => (r.params.calls as unknown[]).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
    // One request carries several calls on average (how many depends on how fast the call log applies the hangups).
    expect(ok.length).toBeLessThanOrEqual(30);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(120);
    // The sandbox enforces RetailCRM's per-key limits (10/s, 40/s on /telephony): none was hit.
    const refused = h.sandbox.state.requestLog({ account: s.account }).filter((r) => r.status === 429 || r.status === 503);
    expect(refused.map((r) => ({ path: r.path, status: r.status, at: r.at, answer: r.answer }))).toEqual([]);
    const problems = s.calls.flatMap((c) => c.records.flatMap((f) => problemsOf(f, receivedFor(h.sandbox, s.account, f.callRef), s.users)));
    expect(problems).toEqual([]);
    await h.stopWorkers();
  });
});
