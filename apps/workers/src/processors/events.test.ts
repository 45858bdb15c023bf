import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventKey } from '@callpipe/events';
import { QUEUE_KEYS, type EventJob } from '@callpipe/queues';
import { testLogger, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { processorDeps } from '../../../../test/support/processorDeps.js';
import { eventsProcessor } from './events.js';
import { checkProcessors } from './registry.js';

const { db, producers, close } = processorDeps('events-test');
afterAll(close);

/** The processor reads only job.data; a malformed payload is typed as what Redis could hold. */
function job(data: EventJob | Record<string, unknown>): Pick<Job<EventJob>, 'data'> {
  return { data: data as EventJob };
}

describe('events processor', () => {
  const e = uniqueEnterprise();
  let sample: EventJob;
  beforeAll(() => {
    const body = { Token: e.token, UniqueId: '1759300000.1', BridgeUniqueid: 'b-1', CallerIDNum: '150' };
    sample = { eventType: 'bridge', enterprise: e.number, body, source: 'recovery', receivedAt: '2026-11-21T10:00:00.000Z', seq: 1, eventKey: eventKey('bridge', body) };
  });

  it('writes the event to call_events with its ids, source and time, once however often it is delivered', async () => {
    const steps: string[] = [];
    const process = eventsProcessor([async (j) => { steps.push(j.eventKey); }]);
    const ctx = { db, log: testLogger(), producers };
    expect(await process(job(sample), ctx)).toEqual({ inserted: true });
    expect(await process(job(sample), ctx)).toEqual({ inserted: false });
    const rows = await db.selectFrom('call_events').selectAll().where('enterprise_number', '=', e.number).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ unique_id: '1759300000.1', bridge_unique_id: 'b-1', event_type: 'bridge', data_source: 'recovery', event_key: sample.eventKey, telegram_sent: false });
    expect(rows[0]!.raw_data).toMatchObject({ CallerIDNum: '150' });
    expect(rows[0]!.event_timestamp.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    // Fan-out runs on every delivery: its steps are idempotent by event key, not skipped.
    expect(steps).toEqual([sample.eventKey, sample.eventKey]);
  });

  it('files a bridge-only event under its bridge id', async () => {
    const body = { Token: e.token, BridgeUniqueid: 'b-2' };
    await eventsProcessor([])(job({ ...sample, eventType: 'bridge_create', body, eventKey: eventKey('bridge_create', body) }), { db, log: testLogger(), producers });
    const row = await db.selectFrom('call_events').selectAll().where('event_key', '=', eventKey('bridge_create', body)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ unique_id: 'b-2', bridge_unique_id: 'b-2' });
  });

  it('refuses a malformed payload without retrying it', async () => {
    await expect(eventsProcessor([])(job({ eventType: 'dial' }), { db, log: testLogger(), producers })).rejects.toMatchObject({ name: 'UnrecoverableError' });
  });
});

describe('processor table check', () => {
  it('names a missing queue and an unknown processor', () => {
    expect(checkProcessors({})).toEqual(QUEUE_KEYS.map((k) => `queue "${k}" has no processor`));
    const complete = Object.fromEntries(QUEUE_KEYS.map((k) => [k, async () => 1]));
    expect(checkProcessors(complete)).toEqual([]);
    expect(checkProcessors({ ...complete, telegrm: async () => 1 })).toEqual(['processor "telegrm" serves no queue of the catalogue']);
  });
});
