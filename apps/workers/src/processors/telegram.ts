/**
 * The `telegram` queue: one recipient's chat brought in line with one call record (../telegram/sync.ts).
 * Lock contention, 429s beyond the client's own wait, 5xx and network failures are thrown and retried
 * by BullMQ; a refusal is logged with the call id and completes the job. A malformed bot token ends
 * the job at once (Misconfigured) and lists the enterprise in the misconfiguration registry.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { metrics } from '@callpipe/metrics';
import { queues, type TelegramJob } from '@callpipe/queues';
import { MalformedBotToken, type TelegramSyncDeps } from '../telegram/deps.js';
import { Misconfigured, stopMisconfigured } from '../misconfigured.js';
import { botTokenProblemOf } from '../setup/botTokens.js';
import { SendLater, syncChat, type SyncOutcome } from '../telegram/sync.js';
import type { JobContext } from './context.js';

export function telegramProcessor(deps: TelegramSyncDeps) {
  return async (job: Job<TelegramJob>, ctx: JobContext): Promise<SyncOutcome> => {
    if (!queues.telegram.validate(job.data)) {
      const err = queues.telegram.validate.errors?.[0];
      throw new UnrecoverableError(`invalid telegram payload: ${err?.instancePath || '(root)'} ${err?.message ?? ''}`);
    }
    const log = ctx.log.child({ chatId: job.data.chatId, reason: job.data.reason });
    try {
      const outcome = await syncChat(ctx.db, log, ctx.producers, deps, job.data);
      log.debug({ outcome }, 'telegram sync done');
      return outcome;
    } catch (err) {
      if (err instanceof SendLater && ctx.token) {
        // Back to the queue until the chat's slot, not holding a worker slot meanwhile; no attempt spent.
        metrics.telegramSyncsDeferred.inc();
        log.debug({ waitMs: err.waitMs }, 'telegram sync deferred to the chat\'s next send slot');
        await job.moveToDelayed(Date.now() + err.waitMs, ctx.token);
        throw new DelayedError();
      }
      if (!(err instanceof MalformedBotToken)) throw err;
      // The same words as the periodic audit, so the registry sees one fault, not two that alternate.
      const problem = await botTokenProblemOf(ctx.db, job.data.enterprise);
      const reason = problem?.reason ?? err.message;
      if (deps.misconfig) await stopMisconfigured(deps.misconfig, log, job.data.enterprise, 'telegram', reason);
      throw new Misconfigured(job.data.enterprise, 'telegram', reason);
    }
  };
}
