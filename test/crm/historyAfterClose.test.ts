/**
 * History never goes before the hangup: while a call's close job keeps failing and retrying — here
 * for longer than the 30 s the dispatch used to wait at most — its history job waits, and goes only
 * after the hangup. When the close fails for good, history goes alone (the documented bound).
 * The fault is real: the RetailCRM adapter's close throws in the workers, counted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import type { CrmAdapter } from '@callpipe/crm';
import { CrmHarness, FAST } from './crmHarness.js';
import { receivedFor } from './expected.js';

// Backoff 50 ms doubling to at most 2 s, so the close retries all the while it fails.
const h = new CrmHarness({ ...FAST, crmBackoffBaseMs: 50 });
beforeAll(async () => {
  await h.startSandbox();
});
afterAll(async () => {
  await h.close();
});

/** The registry's adapters, with RetailCRM's close failing as `fail` says. */
function failingClose(adapterFor: (type: string) => CrmAdapter | undefined, fail: () => Error | null, counter: { n: number }) {
  return (type: string): CrmAdapter | undefined => {
    const a = adapterFor(type);
    if (!a || type !== 'retailcrm') return a;
    return {
      ...a,
      close: async (facts, ctx) => {
        const err = fail();
        if (err) {
          counter.n += 1;
          throw err;
        }
        return a.close(facts, ctx);
      },
    };
  };
}

describe('history waits for the hangup', () => {
  it('the close failing for 35 s (retried): history goes after the hangup, never before', async () => {
    const [deps] = await h.startWorkers(1);
    const s = await h.scenario(['1-3']);
    const until = Date.now() + 35_000;
    const failures = { n: 0 };
    deps!.adapterFor = failingClose(deps!.adapterFor, () => (Date.now() < until ? new Error('injected: the close request timed out') : null), failures);
    const f = s.calls[0]!.records[0]!;
    await h.feed(s.calls[0]!.call.jobs(s.enterprise));
    await new Promise((r) => setTimeout(r, 33_000));
    // Past the old 30 s bound, the close still failing: no history yet.
    expect(failures.n).toBeGreaterThan(5);
    expect(receivedFor(h.sandbox, s.account, f.callRef).uploads).toHaveLength(0);
    await h.settle(60_000);
    const got = receivedFor(h.sandbox, s.account, f.callRef);
    const hangup = got.events.find((e) => e.event.type === 'hangup');
    expect(hangup).toBeDefined();
    expect(got.uploads).toHaveLength(1);
    expect(got.uploads[0]!.seq).toBeGreaterThan(hangup!.seq);
    await h.stopWorkers();
  }, 120_000);

  it('the close failing for good: history goes alone (the bound); the close stays failed in Bull Board for a retry by hand', async () => {
    const [deps] = await h.startWorkers(1);
    const s = await h.scenario(['1-3']);
    const failures = { n: 0 };
    deps!.adapterFor = failingClose(deps!.adapterFor, () => new UnrecoverableError('injected: the CRM refuses this hangup'), failures);
    const f = s.calls[0]!.records[0]!;
    await h.feed(s.calls[0]!.call.jobs(s.enterprise));
    await h.settle(60_000);
    expect(failures.n).toBe(1);
    const got = receivedFor(h.sandbox, s.account, f.callRef);
    expect(got.events.filter((e) => e.event.type === 'hangup')).toHaveLength(0);
    expect(got.uploads).toHaveLength(1);
    const failed = (await h.producers.queue('crmDispatch').getJobs(['failed'])).filter((j) => j.data.enterprise === s.enterprise);
    expect(failed.map((j) => j.data.action)).toEqual(['close']);
    await h.stopWorkers();
  }, 120_000);
});
