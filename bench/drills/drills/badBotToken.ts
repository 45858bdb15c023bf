/**
 * A malformed bot token (an operator's typo), once on enterprises only and once on telegram_users
 * too. Events are still stored; the Telegram jobs stop at once (no retry storm, no log flood) and
 * both enterprises are listed as misconfigured in /health or /stats.
 */
import { Redis } from 'ioredis';
import { queues } from '@callpipe/queues';
import type { Drill } from '../kit.js';
import { Ledger } from '../ledger.js';
import { httpStatus, sleep } from '../ports.js';
import { streamCalls } from './streaming.js';

const GOOD_SHAPE = '123456:drill-good-token';

export const badBotToken: Drill = {
  name: 'bad bot token',
  async run(ctx, stack) {
    const db = ctx.suite.db!;
    const onlyEnterprise = await ctx.suite.addEnterprise(`${ctx.enterprise.number}a`, 'not a bot token');
    const both = await ctx.suite.addEnterprise(`${ctx.enterprise.number}b`, '12345:bad token');
    await db.insertInto('telegram_users').values([
      { tg_id: 7001, bot_token: GOOD_SHAPE, enterprise_number: onlyEnterprise.number, role: 'full' },
      { tg_id: 7002, bot_token: '12345:bad token', enterprise_number: both.number, role: 'full' },
    ]).execute();
    await stack.startAll();
    const ledger = new Ledger(new Set([onlyEnterprise.token, both.token]));
    const calls = Math.max(4, Math.round(ctx.form.calls / 6));
    const a = streamCalls(ctx, stack, { token: onlyEnterprise.token, ledger, calls });
    const b = streamCalls(ctx, stack, { token: both.token, ledger, calls });
    await Promise.all([a.done, b.done]);
    await sleep(ctx.form.watchMs);

    const redis = new Redis(ctx.suite.redis!.url, { maxRetriesPerRequest: 1 });
    const retrying = await redis.zcard(`${stack.prefix}:${queues.telegram.name}:delayed`).finally(() => redis.disconnect());
    const listing = (await Promise.all([
      httpStatus(`http://127.0.0.1:${stack.ports.gateway}/stats`),
      httpStatus(`http://127.0.0.1:${stack.ports.gateway}/health`),
      httpStatus(`http://127.0.0.1:${stack.ports.workers}/health`),
    ])).map((r) => r.text).join('\n');
    const unlisted = [onlyEnterprise.number, both.number].filter((n) => !listing.includes(`"${n}"`));
    return {
      fault: 'malformed bot token on enterprises, and on both tables',
      ledger, enterprises: [onlyEnterprise.number, both.number], outages: 0,
      // One line per enterprise when the bad token is found.
      extraLogBudget: 2,
      checks: [
        { name: 'Telegram jobs stop retrying', ok: retrying === 0, detail: `${retrying} jobs still in backoff after ${ctx.form.watchMs / 1000} s` },
        { name: 'both enterprises listed as misconfigured', ok: unlisted.length === 0, detail: `not named in /stats or /health: ${unlisted.join(', ')}` },
      ],
    };
  },
};
