/**
 * The `telegram` queue: a call's recipients' chats brought in line with its call record (../telegram/sync.ts).
 * Lock contention, 429s beyond the client's own wait, 5xx and network failures are thrown and retried
 * by BullMQ; a refusal is logged with the call id and completes the job. A malformed bot token ends
 * the job at once (Misconfigured) and lists the enterprise in the misconfiguration registry.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { metrics } from '@callpipe/metrics';
import { chatsOfJob, queues, type TelegramJob } from '@callpipe/queues';
import { MalformedBotToken, type TelegramSyncDeps } from '../telegram/deps.js';
import { Misconfigured, stopMisconfigured } from '../misconfigured.js';
import { botTokenProblemOf } from '../setup/botTokens.js';
import { SendLater, syncChat, type SyncOutcome } from '../telegram/sync.js';
import type { JobContext } from './context.js';

export function telegramProcessor(deps: TelegramSyncDeps) {
  return async (job: Job<TelegramJob>, ctx: JobContext): Promise<SyncOutcome[]> => {
    if (!queues.telegram.validate(job.data)) {
      const err = queues.telegram.validate.errors?.[0];
      throw new UnrecoverableError(`invalid telegram payload: ${err?.instancePath || '(root)'} ${err?.message ?? ''}`);
    }
    const chats = chatsOfJob(job.data);
    // One chat: its id on every line; several: each chat's lines carry their own (sync.ts).
    const log = ctx.log.child({ ...(chats.length === 1 ? { chatId: chats[0]!.chatId } : {}), reason: job.data.reason });
    try {
      const outcome = await syncChat(ctx.db, log, ctx.producers, deps, job.data);
      for (const o of outcome) metrics.telegramChatSyncs.inc({ outcome: o });
      log.debug({ outcome, chats: chats.length }, 'telegram sync done');
      return outcome;
    } catch (err) {
      if (err instanceof SendLater && ctx.token) {
        // Back to the queue until the chat's slot, not holding a worker slot meanwhile; no attempt spent.
        metrics.telegramSyncsDeferred.inc();
        log.debug({ waitMs: err.waitMs }, 'telegram sync deferred to a chat\'s next send slot');
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
