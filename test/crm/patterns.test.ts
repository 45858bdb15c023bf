/**
 * Every emulator pattern through the real pipeline to the sandbox RetailCRM, checked exactly
 * (expected.ts): each record's popups carry its own number, type, line and external id and together
 * name every manager rung, the hangup is last, one history row; nothing under any other id except a
 * consultation's own popup taken down when the transfer joins it; no popup left on any screen. In the
 * host's order, shuffled over two workers processes, and with every dial held back until after the hangup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATTERN_IDS, seededRandom, shuffled } from '../callLog/emulatedCalls.js';
import { CrmHarness, FAST } from './crmHarness.js';
import { eventsUnderOtherIds, scenarioProblems } from './expected.js';

// A history delay long enough for the last events of a call to be applied before its history goes; a
// popup waits up to 10 s for its call's opening (far more than the shuffled events take to be applied).
const h = new CrmHarness({ ...FAST, crmHistoryDelayMs: 1500, crmPopupWaitMs: 10_000 });
beforeAll(async () => {
  await h.startSandbox();
});
afterAll(async () => {
  await h.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** 39 patterns through the whole pipeline on a shared 2-core machine: up to a minute each, waits included. */
const TEST_MS = 300_000;

describe('RetailCRM gets exactly the requests each emulator pattern calls for', () => {
  it('in order: one popup per ringing naming every rung manager, the hangup last, one history row per external call, nothing for internal calls', async () => {
    // One call-log job at a time: events are applied in the order the host sent them.
    await h.startWorkers(1, { concurrency: { callLog: 1, crmDispatch: 8 } });
    const s = await h.scenario(PATTERN_IDS);
    for (const c of s.calls) await h.feed(c.call.jobs(s.enterprise));
    await h.settle(120_000);
    expect(scenarioProblems(h.sandbox, s)).toEqual([]);
    // In the host's order each consultation of an attended transfer to a mobile is a call of its own for
    // a while: its popup went, and came down when the transfer joined it (checked exactly above).
    const consultations = [...eventsUnderOtherIds(h.sandbox, s).values()];
    expect(consultations.length).toBeGreaterThan(0);
    for (const events of consultations) expect(events.map((e) => e.type).at(-1)).toBe('hangup');
    const external = s.calls.flatMap((c) => c.records).filter((f) => f.direction !== 'internal' && f.hostCallType !== 2).length;
    expect(h.sandbox.state.account(s.account)!.history.size).toBe(external);
    await h.stopWorkers();
  }, TEST_MS);

  for (const seed of [42, 7]) {
    it(`shuffled arrival (order seed ${seed}), two workers processes: the same requests, exactly`, async () => {
      await h.startWorkers(2, { concurrency: { callLog: 4, crmDispatch: 8 } });
      const s = await h.scenario(PATTERN_IDS, { seed: seed + 1 });
      const random = seededRandom(seed);
      for (const c of s.calls) {
        await h.feed(shuffled(c.call.jobs(s.enterprise), random));
        await sleep(30);
      }
      await h.settle(120_000);
      expect(scenarioProblems(h.sandbox, s)).toEqual([]);
      await h.stopWorkers();
    }, TEST_MS);
  }

  it('every dial arriving after the hangup: the popup went first (synthetic), exactly, and none after the hangup', async () => {
    await h.startWorkers(1);
    const s = await h.scenario(PATTERN_IDS, { seed: 3 });
    for (const c of s.calls) {
      const jobs = c.call.jobs(s.enterprise);
      await h.feed(jobs.filter((j) => j.eventType !== 'dial'));
    }
    await h.settle(120_000);
    for (const c of s.calls) await h.feed(c.call.jobs(s.enterprise).filter((j) => j.eventType === 'dial'));
    await h.settle(120_000);
    expect(scenarioProblems(h.sandbox, s)).toEqual([]);
    await h.stopWorkers();
  }, TEST_MS);
});
