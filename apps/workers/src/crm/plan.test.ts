import { describe, expect, it } from 'vitest';
import { factsFromJson, queues } from '@callpipe/queues';
import { ringingFacts, sampleFacts } from '../../../../libs/crm/src/sampleFacts.js';
import { isExternal, notShownYet, planClose, planCrmJobs, popupManagers, WAITING_POPUP } from './plan.js';

const call = (facts = ringingFacts()) => ({ enterprise: '0367', callId: 'rec-1', facts });
const o = { historyDelayMs: 2000, popupWaitMs: 1500, now: new Date('2026-03-05T08:00:10Z') };

describe('planCrmJobs', () => {
  it('a ringing call: one popup job per CRM naming every rung manager', () => {
    const jobs = planCrmJobs(call(), ['retailcrm', 'ms'], o);
    expect(jobs.map((j) => [j.data.integration, j.data.action, j.data.managers])).toEqual([['retailcrm', 'popup', ['150', '151']], ['ms', 'popup', ['150', '151']]]);
    for (const j of jobs) expect(queues.crmDispatch.validate(j.data)).toBe(true);
  });

  it('the same ringing again gives the same job id; a transfer to a new manager a new one', () => {
    const [a] = planCrmJobs(call(), ['retailcrm'], o);
    const [b] = planCrmJobs(call(ringingFacts({ eventCount: 12 })), ['retailcrm'], o);
    const [c] = planCrmJobs(call(ringingFacts({ rung: ['150', '151', '152'] })), ['retailcrm'], o);
    expect(b!.jobId).toBe(a!.jobId);
    expect(c!.jobId).not.toBe(a!.jobId);
    expect(a!.jobId).not.toContain(':');
  });

  it('an ended call: close now and history after the settle delay, whether a dial was seen or not', () => {
    for (const dialSeen of [true, false]) {
      const jobs = planCrmJobs(call(sampleFacts({ dialSeen })), ['retailcrm'], o);
      expect(jobs.map((j) => [j.data.action, j.delayMs])).toEqual([['close', 0], ['history', 2000]]);
      expect(new Set(jobs.map((j) => j.jobId)).size).toBe(2);
    }
  });

  it('internal calls, calls of unknown direction and calls no CRM wants make no job', () => {
    expect(planCrmJobs(call(ringingFacts({ direction: 'internal', hostCallType: 2 })), ['retailcrm'], o)).toEqual([]);
    expect(planCrmJobs(call(ringingFacts({ direction: null, hostCallType: null })), ['retailcrm'], o)).toEqual([]);
    expect(planCrmJobs(call(), [], o)).toEqual([]);
  });

  it('a ringing call with no dial yet (only a start) waits for it', () => {
    expect(planCrmJobs(call(ringingFacts({ dialSeen: false })), ['retailcrm'], o)).toEqual([]);
  });

  it('a record without its call\'s opening yet: the popup waits popupWaitMs under an id of its own; once rooted, an immediate one', () => {
    const [waiting] = planCrmJobs(call(ringingFacts({ rooted: false })), ['retailcrm'], o);
    const [now] = planCrmJobs(call(ringingFacts()), ['retailcrm'], o);
    expect(waiting!.delayMs).toBe(1500);
    expect(waiting!.jobId).toBe(`${now!.jobId}${WAITING_POPUP}`);
    expect(now!.delayMs).toBe(0);
    // The hangup roots a record; its close and history never wait for anything else.
    expect(planCrmJobs(call(sampleFacts({ rooted: false })), ['retailcrm'], o).map((j) => j.delayMs)).toEqual([0, 2000]);
  });

  it('a piece joined to another call gets a close under its own callRef, nothing for an internal one', () => {
    const piece = ringingFacts({ callRef: '1741165200.107', direction: 'out', hostCallType: 1, caller: '151', rung: ['151'] });
    const [j] = planClose({ enterprise: '0367', callId: 'rec-1' }, piece, ['retailcrm'], o.now);
    expect([j!.data.action, j!.data.callRef, j!.delayMs]).toEqual(['close', '1741165200.107', 0]);
    expect(queues.crmDispatch.validate(j!.data)).toBe(true);
    expect(planClose({ enterprise: '0367', callId: 'rec-1' }, { ...piece, direction: 'internal', hostCallType: 2 }, ['retailcrm'], o.now)).toEqual([]);
  });

  it('carries the facts so the processor reads them back as they were, dates included', () => {
    const [j] = planCrmJobs(call(sampleFacts()), ['retailcrm'], o);
    const sent = j!.data.facts;
    expect(factsFromJson(JSON.parse(JSON.stringify(sent)) as typeof sent)).toEqual(sampleFacts());
  });
});

describe('popup managers', () => {
  it('an outbound call shows the manager who dialled, then anyone rung', () => {
    expect(popupManagers(ringingFacts({ direction: 'out', hostCallType: 1, caller: '153', rung: ['150', '153'] }))).toEqual(['153', '150']);
  });

  it('never shows a manager twice', () => {
    expect(notShownYet(['150', '151', '151', '152'], ['150'])).toEqual(['151', '152']);
    expect(notShownYet(['150'], ['150'])).toEqual([]);
  });

  it('CallType decides external before the numbers do', () => {
    expect(isExternal(sampleFacts({ hostCallType: 2, direction: 'in' }))).toBe(false);
    expect(isExternal(sampleFacts({ hostCallType: null, direction: 'out' }))).toBe(true);
    expect(isExternal(sampleFacts({ hostCallType: 0, direction: null }))).toBe(true);
  });
});
