import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { newEventJob, type EventJob, type EventPacketJob } from '@callpipe/queues';
import { freePort } from '../../../../test/support/listen.js';
import { processorDeps } from '../../../../test/support/processorDeps.js';
import { testLogger, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { eventPacketsProcessor } from './eventPackets.js';
import { eventsProcessor } from './events.js';

const deps = processorDeps('event-packets-test');
const events = deps.producers.queue('events');
afterAll(async () => {
  await events.obliterate({ force: true });
  await deps.close();
});

const e = uniqueEnterprise();
const dial = (uid: string): EventJob => newEventJob('dial', { Token: e.token, UniqueId: uid, Phone: '375296254070', CallType: 0, Extensions: ['150'] }, e.number, 'live');

describe('event-packets processor', () => {
  it('handles every event as its own job would, and splits the one that fails into an events job, once however often it is delivered', async () => {
    const steps: string[] = [];
    const processPacket = eventPacketsProcessor(eventsProcessor([async (j) => { steps.push(j.body.UniqueId as string); }]));
    const good = [dial('pk.1'), dial('pk.2')];
    // An event no check passes: it must end in the events queue's failed set, not sink its packet.
    const broken: EventJob = { ...dial('pk.bad'), eventKey: 'short' };
    const job = { id: 'p-test-1', data: { events: [good[0]!, broken, good[1]!] } satisfies EventPacketJob };
    expect(await processPacket(job, deps.ctx())).toEqual({ events: 3, inserted: 2, split: 1 });
    const rows = await deps.db.selectFrom('call_events').select('unique_id').where('enterprise_number', '=', e.number).orderBy('unique_id').execute();
    expect(rows.map((r) => r.unique_id)).toEqual(['pk.1', 'pk.2']);
    expect(steps.sort()).toEqual(['pk.1', 'pk.2']);
    const split = await events.getJob('p-test-1-1');
    expect(split?.data).toEqual(broken);
    // Redelivered (its worker died after the split): every step runs again, nothing is queued twice.
    expect(await processPacket(job, deps.ctx())).toEqual({ events: 3, inserted: 0, split: 1 });
    expect(steps.sort()).toEqual(['pk.1', 'pk.1', 'pk.2', 'pk.2']);
    expect(await events.count()).toBe(1);
  });

  it('fails whole, to be retried as one job, when every failure is PostgreSQL being away', async () => {
    // A pool on a port where nothing listens: each event's store meets a refused connection.
    const pool = createPool({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/none`, max: 1, applicationName: 'packets-down' });
    const db = createDb(pool);
    try {
      const before = await events.count();
      const processPacket = eventPacketsProcessor(eventsProcessor([]));
      const err = await processPacket({ id: 'p-test-2', data: { events: [dial('pk.3'), dial('pk.4')] } }, { ...deps.ctx(), db, log: testLogger() }).catch((x: unknown) => x);
      expect(err).toMatchObject({ code: 'ECONNREFUSED' });
      expect(await events.count()).toBe(before);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a packet that is not one, without retrying it', async () => {
    const processPacket = eventPacketsProcessor(eventsProcessor([]));
    await expect(processPacket({ id: 'p-test-3', data: { events: [] } }, deps.ctx())).rejects.toMatchObject({ name: 'UnrecoverableError' });
  });
});
