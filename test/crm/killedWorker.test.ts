import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppProcess } from '../support/processes.js';
import { configEnv, waitFor } from '../support/testEnv.js';
import { config, CrmHarness } from './crmHarness.js';
import { receivedFor } from './expected.js';

// Real workers processes (the build): one is killed with SIGKILL while RetailCRM holds its calls/upload.
const h = new CrmHarness();
const procs: AppProcess[] = [];
beforeAll(async () => {
  await h.startSandbox();
});
afterAll(async () => {
  for (const p of procs) await p.kill('SIGKILL');
  await h.close();
});

const env = {
  ...configEnv(config), WORKERS_PORT: '0', JOB_LOCK_MS: '1000', CRM_TIMEOUT_MS: '5000', CRM_BACKOFF_BASE_MS: '50',
  CRM_HISTORY_DELAY_MS: '300', CRM_BREAKER_OPEN_MS: '500',
};

describe('a workers process killed mid-request', () => {
  it('SIGKILL while the history upload is in flight: another process delivers the job, RetailCRM keeps one row and says the resend was a duplicate', async () => {
    const s = await h.scenario(['1-1']);
    const f = s.calls[0]!.records[0]!;
    const first = startApp('workers', env);
    procs.push(first);
    await h.feed(s.jobs);
    await waitFor(async () => receivedFor(h.sandbox, s.account, f.callRef).events.some((e) => e.event.type === 'hangup'), 'the hangup', 30_000);
    h.sandbox.faults.set(s.account, { down: false, delayMs: 3000, unauthorized: false, next429: 0, next503: 0, retryAfterSec: 2, rate500: 0 });
    await waitFor(async () => {
      const active = await h.producers.queue('crmDispatch').getJobs(['active']);
      return active.some((j) => j.data.enterprise === s.enterprise && j.data.action === 'history');
    }, 'the history job to run', 30_000, 20);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await first.kill('SIGKILL')).toBeNull();
    const uploads = () => h.sandbox.state.requestLog({ account: s.account, path: 'telephony/calls/upload' });
    // The dead process's request still lands.
    await waitFor(async () => uploads().length >= 1, 'the first upload to land', 10_000);
    expect(h.sandbox.state.account(s.account)!.history.size).toBe(1);
    h.sandbox.faults.delete(s.account);

    const second = startApp('workers', env);
    procs.push(second);
    await h.settle(90_000);
    const all = uploads();
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.at(-1)!.answer).toMatchObject({ success: true, duplicateCalls: [f.callRef] });
    expect(h.sandbox.state.account(s.account)!.history.size).toBe(1);
    const failed = await h.producers.queue('crmDispatch').getJobs(['failed']);
    expect(failed.filter((j) => j.data.enterprise === s.enterprise)).toEqual([]);
  });
});
