/**
 * The `telegram-updates` queue: one Telegram button press (webhook or long poll) handled by the
 * call-back (../telegram/callBack/handlePress.ts). A press is claimed in PostgreSQL before the PBX is
 * asked for anything, so a retried job never rings twice.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { queues, type TelegramUpdateJob } from '@callpipe/queues';
import { handlePress, type CallBackDeps, type PressOutcome } from '../telegram/callBack/handlePress.js';
import type { JobContext } from './context.js';

export function telegramUpdatesProcessor(deps: CallBackDeps) {
  return async (job: Job<TelegramUpdateJob>, ctx: JobContext): Promise<PressOutcome> => {
    if (!queues.telegramUpdates.validate(job.data)) {
      const err = queues.telegramUpdates.validate.errors?.[0];
      throw new UnrecoverableError(`invalid telegram-updates payload: ${err?.instancePath || '(root)'} ${err?.message ?? ''}`);
    }
    const outcome = await handlePress(deps, job.data, { db: ctx.db, producers: ctx.producers, log: ctx.log.child({ botId: job.data.botId, via: job.data.via }) });
    ctx.log.debug({ outcome }, 'button press handled');
    return outcome;
  };
}

/** Without call-back settings (a test's partial table) a press cannot be handled: fail so it is seen. */
export async function telegramUpdatesUnavailable(): Promise<never> {
  throw new UnrecoverableError('telegram-updates: the workers were started without call-back settings');
}
