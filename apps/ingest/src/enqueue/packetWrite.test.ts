import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { eventKey } from '@callpipe/events';
import { createRedis, newEventJob, queues, type EventJob, type EventPacketJob } from '@callpipe/queues';
import { testConfig, testLogger } from '../../../../test/support/testEnv.js';
import { PacketWrite } from './packetWrite.js';

const config = testConfig();
const redis = new Redis(config.redisUrl);
const events = new Queue<EventJob>(queues.events.name, { connection: redis, prefix: config.queuePrefix });
const packets = new Queue<EventPacketJob>(queues.eventPackets.name, { connection: redis, prefix: config.queuePrefix });
afterAll(async () => {
  await events.obliterate({ force: true });
  await packets.obliterate({ force: true });
  await events.close();
  await packets.close();
  redis.disconnect();
});

const dial = (uid: string): EventJob => newEventJob('dial', { Token: 't', UniqueId: uid, Phone: '375296254070', CallType: 0, Extensions: ['150'] }, '0367', 'live');

describe('PacketWrite', () => {
  it('adds one packet of the events whose key is new, and claims each key in the events queue\'s deduplication space', async () => {
    const write = new PacketWrite({ redis, events, packets, dedupWindowMs: 60_000, log: testLogger() });
    const jobs = [dial('pw.1'), dial('pw.2'), dial('pw.3')];
    expect(await write.write(jobs)).toEqual({ added: 3, resent: 0 });
    const [packet] = await packets.getJobs(['waiting']);
    expect(packet!.data.events.map((e) => e.body.UniqueId)).toEqual(['pw.1', 'pw.2', 'pw.3']);
    // BullMQ's own lookup of a deduplication id names the packet.
    expect(await events.getDeduplicationJobId(jobs[0]!.eventKey)).toBe(packet!.id);
    expect(jobs[0]!.eventKey).toBe(eventKey('dial', jobs[0]!.body));
    // A single events job of a claimed event is left out by BullMQ; a packet of only resends adds nothing.
    const single = await events.add('dial', jobs[1]!, { deduplication: { id: jobs[1]!.eventKey, ttl: 60_000 } });
    expect(single.id).toBe(packet!.id);
    expect(await write.write([jobs[0]!, jobs[2]!])).toEqual({ added: 0, resent: 2 });
    expect(await packets.count()).toBe(1);
    expect(await events.count()).toBe(0);
  });

  it('releases its claims when the packet could not be added, so a resend is queued', async () => {
    // The packet's queue on a connection of its own, ready, then closed under it (ingest's fail-fast
    // client answers a closed connection at once); the claims go over the live one.
    const dead = createRedis(config.redisUrl, 'fail-fast', 'packet-write-test');
    dead.on('error', () => undefined);
    const nowhere = new Queue<EventPacketJob>(queues.eventPackets.name, { connection: dead, prefix: config.queuePrefix });
    nowhere.on('error', () => undefined);
    await nowhere.waitUntilReady();
    await dead.quit();
    await expect.poll(() => dead.status, { timeout: 3000 }).toBe('end');
    const jobs = [dial('pw.4'), dial('pw.5')];
    const write = new PacketWrite({ redis, events, packets: nowhere, dedupWindowMs: 60_000, log: testLogger() });
    await expect(write.write(jobs)).rejects.toThrow();
    const key = (j: EventJob) => `${events.keys.de}:${j.eventKey}`;
    await expect.poll(async () => redis.exists(...jobs.map(key)), { timeout: 3000 }).toBe(0);
    await nowhere.close().catch(() => undefined);
    const live = new PacketWrite({ redis, events, packets, dedupWindowMs: 60_000, log: testLogger() });
    expect(await live.write(jobs)).toEqual({ added: 2, resent: 0 });
  });
});
