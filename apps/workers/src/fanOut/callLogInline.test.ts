import { UnrecoverableError, type Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { eventKey, type AsteriskEvent } from '@callpipe/events';
import type { EventJob } from '@callpipe/queues';
import { uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { processorDeps } from '../../../../test/support/processorDeps.js';
import { callLogProcessor } from '../processors/callLog.js';
import { eventsProcessor } from '../processors/events.js';
import { storeWithCallLog } from './callLogInline.js';

const { db, producers, ctx, close } = processorDeps('call-log-inline-test');
afterAll(close);

function eventJob(enterprise: string, body: AsteriskEvent): Pick<Job<EventJob>, 'data'> {
  return { data: { eventType: 'dial', enterprise, body, source: 'live', receivedAt: new Date().toISOString(), seq: 1, eventKey: eventKey('dial', body) } };
}

async function rows(enterprise: string) {
  const events = await db.selectFrom('call_events').select('event_key').where('enterprise_number', '=', enterprise).execute();
  const entries = await db.selectFrom('call_trace_entries').select(['entry_key', 'call_id']).where('enterprise_number', '=', enterprise).execute();
  return { events: events.length, entries };
}

describe('events job applying its own call-log entry', () => {
  // No after-entry steps: this file is about the store, not Telegram or CRMs.
  const process = eventsProcessor([], storeWithCallLog(callLogProcessor(undefined, { steps: [] })));

  it('stores the event row and its call-log entry together, once however often it is delivered, and queues no call-log job', async () => {
    const e = uniqueEnterprise();
    const job = eventJob(e.number, { Token: e.token, UniqueId: '1759400000.7', Phone: '375291112233', CallType: 0, Extensions: ['150'] });
    expect(await process(job, ctx())).toEqual({ inserted: true });
    expect(await process(job, ctx())).toEqual({ inserted: false });
    const r = await rows(e.number);
    expect(r.events).toBe(1);
    expect(r.entries).toEqual([{ entry_key: job.data.eventKey, call_id: '1759400000.7' }]);
    expect(await producers.queue('callLog').getJobCounts('waiting', 'delayed', 'completed')).toEqual({ waiting: 0, delayed: 0, completed: 0 });
  });

  it('keeps an event the call log refuses for good (no id to file it under) in call_events, and fails the job for good', async () => {
    const e = uniqueEnterprise();
    const job = eventJob(e.number, { Token: e.token, Phone: '375291112244', CallType: 0 });
    await expect(process(job, ctx())).rejects.toBeInstanceOf(UnrecoverableError);
    const r = await rows(e.number);
    expect(r.events).toBe(1);
    expect(r.entries).toEqual([]);
  });
});
