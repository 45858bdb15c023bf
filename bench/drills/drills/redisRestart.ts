/** Redis SIGKILLed while hosts post, down for the form's outage (20 s full), started again from its AOF. */
import type { Drill } from '../kit.js';
import { sleep } from '../ports.js';
import type { DrillCheck } from '../report.js';
import { healthNames } from './healthProbe.js';
import { streamCalls } from './streaming.js';

export const redisRestart: Drill = {
  name: 'Redis restart',
  async run(ctx, stack) {
    const redis = ctx.suite.redis!;
    await stack.startAll();
    const stream = streamCalls(ctx, stack);
    const checks: DrillCheck[] = [];
    try {
      await sleep(2_000);
      await redis.kill();
      await sleep(Math.min(3_000, ctx.form.redisDownSeconds * 500));
      checks.push(await healthNames('workers', `http://127.0.0.1:${stack.ports.workers}/health`, /redis/i));
      await sleep(ctx.form.redisDownSeconds * 1000 - Math.min(3_000, ctx.form.redisDownSeconds * 500));
    } finally {
      await redis.start();
    }
    await stream.done;
    return { fault: `Redis killed, down ${ctx.form.redisDownSeconds} s`, ledger: stream.ledger, outages: 1, checks };
  },
};
