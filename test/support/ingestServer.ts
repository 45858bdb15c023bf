/**
 * For the ingest tests: the ingest app on a free port against real Redis, with the host tokens it
 * resolves already published, and the queues it fills (events, and event-packets for writes of
 * several events); stop() takes all of it down again.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '@callpipe/config';
import { queues, TokenStore, type EventJob, type EventPacketJob } from '@callpipe/queues';
import { createIngest, type Ingest } from '../../apps/ingest/src/ingest.js';
import { listen } from './listen.js';
import { testLogger } from './testEnv.js';

export interface IngestUnderTest {
  ingest: Ingest;
  base: string;
  redis: Redis;
  queue: Queue<EventJob>;
  packets: Queue<EventPacketJob>;
  /** Every event the ingest queued so far, whether as an events job or inside a packet. */
  heldEvents: () => Promise<EventJob[]>;
  /** Closes the listener, stops the ingest, empties the queue and drops the connection. */
  stop: () => Promise<void>;
}

/** tokens: host token → enterprise number. */
export async function startIngest(config: Config, tokens: ReadonlyMap<string, string>): Promise<IngestUnderTest> {
  const redis = new Redis(config.redisUrl);
  await new TokenStore(redis, config.queuePrefix).replace(tokens);
  const queue = new Queue<EventJob>(queues.events.name, { connection: redis, prefix: config.queuePrefix });
  const packets = new Queue<EventPacketJob>(queues.eventPackets.name, { connection: redis, prefix: config.queuePrefix });
  const states = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'] as const;
  const heldEvents = async (): Promise<EventJob[]> => [
    ...(await queue.getJobs([...states])).map((j) => j.data),
    ...(await packets.getJobs([...states])).flatMap((j) => j.data.events),
  ];
  const ingest = createIngest(config, testLogger());
  await ingest.start();
  const { base, close } = await listen(ingest.app);
  return {
    ingest, base, redis, queue, packets, heldEvents,
    stop: async () => {
      await close();
      await ingest.stop();
      await queue.obliterate({ force: true });
      await packets.obliterate({ force: true });
      await queue.close();
      await packets.close();
      redis.disconnect();
    },
  };
}
