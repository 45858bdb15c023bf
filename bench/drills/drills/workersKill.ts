/** Workers SIGKILLed mid-stream, several times; the supervisor starts them again at once. */
import type { Drill } from '../kit.js';
import { sleep } from '../ports.js';
import { streamCalls } from './streaming.js';

export const workersKill: Drill = {
  name: 'workers SIGKILL',
  async run(ctx, stack) {
    await stack.startAll();
    const stream = streamCalls(ctx, stack);
    const kills = ctx.form.workerKills;
    for (let i = 0; i < kills; i += 1) {
      await sleep(stream.spanMs / (kills + 1));
      await stack.get('workers').kill('SIGKILL');
    }
    await stream.done;
    return { fault: `workers SIGKILLed ${kills}× mid-stream`, ledger: stream.ledger, outages: kills };
  },
};
