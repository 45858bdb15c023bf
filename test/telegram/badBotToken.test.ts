/**
 * A malformed bot token (an operator's typo), in either table: the telegram job stops at once
 * (one attempt, no 200 retries), the enterprise is listed in the misconfiguration registry with the
 * reason (the gateway's /health reads it), and the fault is logged once per enterprise and change,
 * not once per job. The periodic audit finds a typo on `enterprises` alone, which no job ever meets.
 */
import { Writable } from 'node:stream';
import { randomInt } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { MisconfigRegistry, Producers, queues, type TelegramJob } from '@callpipe/queues';
import { telegramProcessor } from '../../apps/workers/src/processors/telegram.js';
import { botTokenProblem } from '../../apps/workers/src/setup/botTokens.js';
import { BotTokenAudit } from '../../apps/workers/src/setup/botTokenAudit.js';
import { telegramSyncDeps } from '../../apps/workers/src/telegram/deps.js';
import { testConfig, uniqueEnterprise, waitFor } from '../support/testEnv.js';

const GOOD = () => `${randomInt(1, 2 ** 40)}:AAH-bad-token-test-${randomInt(1e9)}`;
const TYPO = '12345:short';

function capturedLogger(): { log: Logger; lines: (match: string) => string[] } {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } });
  return { log: pino({ level: 'debug' }, sink), lines: (match) => out.split('\n').filter((l) => l.includes(match)) };
}

describe('botTokenProblem', () => {
  const e = '0367';
  it('is null for good tokens and for an enterprise without a bot', () => {
    expect(botTokenProblem({ enterprise: e, enterpriseToken: GOOD(), recipients: [{ tgId: '1', token: GOOD() }] })).toBeNull();
    expect(botTokenProblem({ enterprise: e, enterpriseToken: null, recipients: [] })).toBeNull();
    expect(botTokenProblem({ enterprise: e, enterpriseToken: '  ', recipients: [] })).toBeNull();
  });

  it('names the table and the recipients, never the token', () => {
    const onEnterprise = botTokenProblem({ enterprise: e, enterpriseToken: TYPO, recipients: [] })!;
    expect(onEnterprise).toMatchObject({ sendsNothing: true });
    expect(onEnterprise.reason).toMatch(/^enterprises\.bot_token is not a bot token/);
    const onUsers = botTokenProblem({ enterprise: e, enterpriseToken: GOOD(), recipients: [{ tgId: '42', token: TYPO }, { tgId: '7', token: GOOD() }] })!;
    expect(onUsers).toMatchObject({ sendsNothing: false });
    expect(onUsers.reason).toMatch(/^telegram_users\.bot_token of recipient 42 is not/);
    expect(JSON.stringify([onEnterprise, onUsers])).not.toContain('short');
  });
});

describe('a malformed bot token against real Redis and PostgreSQL', () => {
  const config = testConfig();
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: 4, applicationName: 'bad-token-test' }));
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const registry = new MisconfigRegistry(redis, config.queuePrefix, 0);
  const both = uniqueEnterprise();
  const entOnly = uniqueEnterprise();
  const usersOnly = uniqueEnterprise();
  const fine = uniqueEnterprise();

  beforeAll(async () => {
    const good = GOOD();
    await db.insertInto('enterprises').values([
      { number: both.number, name: both.name, name2: both.token, bot_token: TYPO },
      { number: entOnly.number, name: entOnly.name, name2: entOnly.token, bot_token: TYPO },
      { number: usersOnly.number, name: usersOnly.name, name2: usersOnly.token, bot_token: good },
      { number: fine.number, name: fine.name, name2: fine.token, bot_token: GOOD() },
    ]).execute();
    await db.insertInto('telegram_users').values([
      { tg_id: 1001, bot_token: TYPO, enterprise_number: both.number },
      { tg_id: 1002, bot_token: good.replace(/:.*/, ':AAH-ok-recipient-token-000'), enterprise_number: entOnly.number },
      { tg_id: 1003, bot_token: 'oops', enterprise_number: usersOnly.number },
      { tg_id: 1004, bot_token: good, enterprise_number: usersOnly.number },
    ]).execute();
  });

  afterAll(async () => {
    const numbers = [both.number, entOnly.number, usersOnly.number, fine.number];
    await db.deleteFrom('telegram_users').where('enterprise_number', 'in', numbers).execute();
    await db.deleteFrom('enterprises').where('number', 'in', numbers).execute();
    await db.destroy();
    const keys = await redis.keys(`${config.queuePrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a telegram job of an enterprise whose token is malformed in both tables fails once, unrecoverably; one log line for many jobs', async () => {
    const { log, lines } = capturedLogger();
    const deps = telegramSyncDeps({ redis, prefix: config.queuePrefix, apiRoot: 'http://127.0.0.1:9', timeoutMs: 1000, misconfig: registry, log });
    const process = telegramProcessor(deps);
    const producers = new Producers(redis, config.queuePrefix);
    const queue = new Queue<TelegramJob>(queues.telegram.name, { connection: redis, prefix: config.queuePrefix });
    const workerRedis = redis.duplicate({ maxRetriesPerRequest: null });
    const worker = new Worker<TelegramJob>(queues.telegram.name, (job: Job<TelegramJob>) => process(job, {
      db, producers, log: log.child({ jobId: job.id, callId: job.data.callId }),
    }), { connection: workerRedis, prefix: config.queuePrefix, concurrency: 4 });
    try {
      const at = new Date().toISOString();
      const jobs = await Promise.all(Array.from({ length: 6 }, (_, i) => producers.add('telegram', 'dial', {
        enterprise: both.number, callId: `call-${i}`, chatId: '1001', role: 'full', absorbed: [], reason: 'dial', at,
      })));
      expect(jobs[0]!.opts.attempts).toBe(200);
      await waitFor(async () => (await queue.getJobCounts('failed')).failed === 6, 'six failed jobs', 15_000);
      for (const j of await queue.getJobs(['failed'])) {
        expect(j.attemptsMade).toBe(1);
        expect(j.failedReason).toMatch(/telegram of enterprise .* is misconfigured: enterprises\.bot_token is not a bot token/);
      }
      expect(lines('enterprise misconfigured')).toHaveLength(1);
      const listed = (await registry.list()).find((m) => m.enterprise === both.number);
      expect(listed).toMatchObject({ integration: 'telegram', reason: expect.stringMatching(/enterprises\.bot_token .*; telegram_users\.bot_token of recipient 1001/) });
      expect(JSON.stringify(await registry.list())).not.toContain(TYPO);
    } finally {
      await worker.close();
      workerRedis.disconnect();
      await queue.obliterate({ force: true });
      await queue.close();
      await producers.close();
    }
  });

  it('the audit lists a typo on enterprises only and on telegram_users only, logs each once, and clears it when fixed', async () => {
    const { log, lines } = capturedLogger();
    const audit = new BotTokenAudit(db, registry, log);
    await audit.runOnce();
    await audit.runOnce();
    const listed = await registry.list();
    const of = (n: string) => listed.find((m) => m.enterprise === n && m.integration === 'telegram');
    expect(of(entOnly.number)?.reason).toMatch(/^enterprises\.bot_token is not a bot token/);
    expect(of(usersOnly.number)?.reason).toMatch(/^telegram_users\.bot_token of recipient 1003 is not a bot token/);
    expect(of(fine.number)).toBeUndefined();
    // Two audits (and the earlier job's report for `both`): one line per enterprise and change.
    expect(lines('enterprise misconfigured').filter((l) => l.includes(entOnly.number))).toHaveLength(1);
    expect(lines('enterprise misconfigured').filter((l) => l.includes(usersOnly.number))).toHaveLength(1);

    await db.updateTable('enterprises').set({ bot_token: GOOD() }).where('number', '=', entOnly.number).execute();
    await db.updateTable('telegram_users').set({ bot_token: GOOD() }).where('tg_id', '=', '1003').execute();
    await audit.runOnce();
    await audit.runOnce();
    const after = await registry.list();
    expect(after.find((m) => m.enterprise === entOnly.number)).toBeUndefined();
    expect(after.find((m) => m.enterprise === usersOnly.number)).toBeUndefined();
    expect(lines('misconfiguration fixed')).toHaveLength(2);
  });
});
