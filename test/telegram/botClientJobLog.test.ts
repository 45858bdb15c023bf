/**
 * One BotClient serves every job of its bot; its log lines must carry the ids of the job that made
 * the call, not of the first job that built the client (deps.clientFor caches it per token).
 */
import { Writable } from 'node:stream';
import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramSandbox } from '../../apps/sandbox/src/telegram/index.js';
import { telegramSyncDeps } from '../../apps/workers/src/telegram/deps.js';
import { serveSandbox } from '../support/sandboxServer.js';
import { testConfig } from '../support/testEnv.js';

describe('bot client log lines carry the calling job ids', () => {
  const config = testConfig();
  // A sandbox that knows no token but this one: every send of another bot gives up (and logs it).
  const telegram = new TelegramSandbox({ tokens: ['1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] });
  let base: string;
  let close: () => Promise<void>;
  let redis: Redis;

  beforeAll(async () => {
    ({ base, close } = await serveSandbox({ telegram }));
    redis = new Redis(config.redisUrl);
  });

  afterAll(async () => {
    await close();
    const keys = await redis.keys(`${config.queuePrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('two jobs through one cached client: each line names its own job and call', async () => {
    let out = '';
    const sink = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } });
    const root = pino({ level: 'debug' }, sink);
    const deps = telegramSyncDeps({ redis, prefix: config.queuePrefix, apiRoot: base, timeoutMs: 2000, log: root.child({ service: 'workers' }) });
    const token = `${randomInt(1, 2 ** 40)}:AAH-job-log-test-${randomInt(1e9)}`;
    // As the telegram processor binds them: the job, its call and its chat.
    const jobA = root.child({ jobId: 'job-A', callId: 'call-A', chatId: '201' });
    const jobB = root.child({ jobId: 'job-B', callId: 'call-B', chatId: '202' });
    const first = deps.clientFor(token, jobA);
    expect(deps.clientFor(token, jobB)).toBe(first);
    await first.send(201, 'x', { log: jobA });
    await deps.clientFor(token, jobB).send(202, 'y', { log: jobB });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'telegram: gave up');
    expect(lines.map((l) => [l.chatId, l.jobId, l.callId])).toEqual([['201', 'job-A', 'call-A'], ['202', 'job-B', 'call-B']]);
    // Each binding once: the client adds no second chatId or callId to the job's own.
    expect(out.split('\n').filter((l) => l.includes('gave up')).every((l) => l.split('"chatId"').length === 2)).toBe(true);
    expect(out).not.toContain(token.split(':')[1]);
  });
});
