import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATTERN_IDS, seededRandom, shuffled } from '../callLog/emulatedCalls.js';
import { CrmHarness, FAST } from './crmHarness.js';
import { problemsOf, receivedFor } from './expected.js';

// A history delay long enough for the last events of a call to be applied before its history goes.
const h = new CrmHarness({ ...FAST, crmHistoryDelayMs: 1500 });
beforeAll(async () => {
  await h.startSandbox();
});
afterAll(async () => {
  await h.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RetailCRM gets exactly the requests each emulator pattern calls for', () => {
  it('in order: one popup per ringing naming every rung manager, the hangup last, one history row per external call, nothing for internal calls', async () => {
    // One call-log job at a time: events are applied in the order the host sent them.
    await h.startWorkers(1, { concurrency: { callLog: 1, crmDispatch: 8 } });
    const s = await h.scenario(PATTERN_IDS);
    for (const c of s.calls) await h.feed(c.call.jobs(s.enterprise));
    await h.settle(120_000);
    const problems = s.calls.flatMap((c) => c.records.flatMap((f) => problemsOf(f, receivedFor(h.sandbox, s.account, f.callRef), s.users, true)));
    expect(problems).toEqual([]);
    const external = s.calls.flatMap((c) => c.records).filter((f) => f.direction !== 'internal' && f.hostCallType !== 2).length;
    expect(h.sandbox.state.account(s.account)!.history.size).toBe(external);
    await h.stopWorkers();
  });

  it('shuffled arrival, two workers processes: still one popup per manager, the hangup last, one history row', async () => {
    await h.startWorkers(2, { concurrency: { callLog: 4, crmDispatch: 8 } });
    const s = await h.scenario(PATTERN_IDS, { seed: 21 });
    const random = seededRandom(42);
    for (const c of s.calls) {
      await h.feed(shuffled(c.call.jobs(s.enterprise), random));
      await sleep(30);
    }
    await h.settle(120_000);
    const problems = s.calls.flatMap((c) => c.records.flatMap((f) => problemsOf(f, receivedFor(h.sandbox, s.account, f.callRef), s.users, false)));
    expect(problems).toEqual([]);
    await h.stopWorkers();
  });

  it('a dial arriving after the hangup sends no popup after it, and a late event adds no second row', async () => {
    await h.startWorkers(1);
    const s = await h.scenario(['1-1', '1-2', '2-1']);
    for (const c of s.calls) {
      const jobs = c.call.jobs(s.enterprise);
      const dials = jobs.filter((j) => j.eventType === 'dial');
      const rest = jobs.filter((j) => j.eventType !== 'dial');
      await h.feed(rest);
      await h.settle();
      await h.feed(dials);
    }
    await h.settle();
    for (const c of s.calls) {
      for (const f of c.records) {
        const got = receivedFor(h.sandbox, s.account, f.callRef);
        expect(problemsOf(f, got, s.users, false)).toEqual([]);
        // The hangup came with no dial: the popup went first (synthetic), once.
        if (f.direction !== 'internal') expect(got.events.filter((e) => e.event.type !== 'hangup').length).toBeGreaterThanOrEqual(1);
      }
    }
    await h.stopWorkers();
  });
});
