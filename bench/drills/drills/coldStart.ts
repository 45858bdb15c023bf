/**
 * Cold start on an empty queue prefix (a deploy, or a Redis that lost its keys): hosts post from the
 * first moment, the ingest starts with them and the workers (who publish the token set) come up late.
 * Until the ingest holds the set it must answer 503 (the host retries), never 403 (the host drops).
 */
import type { Drill } from '../kit.js';
import { sleep } from '../ports.js';
import { streamCalls } from './streaming.js';

export const coldStart: Drill = {
  name: 'cold start',
  async run(ctx, stack) {
    const stream = streamCalls(ctx, stack);
    for (const app of ['sandbox', 'ingest', 'gateway'] as const) stack.start(app);
    await sleep(ctx.form.coldStartWorkersLateMs);
    stack.start('workers');
    await stream.done;
    await stack.waitHealthy(30_000);
    return { fault: `empty prefix, workers ${ctx.form.coldStartWorkersLateMs / 1000} s late`, ledger: stream.ledger, outages: 0 };
  },
};
