/**
 * The `crm-dispatch` queue: one action (popup, close, history) of one CRM for one call. The order
 * rules, delivery and logging are in ../crm (runJob.ts explains them).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { queues, type CrmDispatchJob } from '@callpipe/queues';
import type { CrmDispatchDeps } from '../crm/deps.js';
import { runCrmJob, type CrmJobOutcome } from '../crm/runJob.js';
import type { JobContext } from './context.js';

export function crmDispatchProcessor(deps: CrmDispatchDeps) {
  return async (job: Job<CrmDispatchJob>, ctx: JobContext): Promise<CrmJobOutcome> => {
    if (!queues.crmDispatch.validate(job.data)) {
      const err = queues.crmDispatch.validate.errors?.[0];
      throw new UnrecoverableError(`invalid crm-dispatch payload: ${err?.instancePath || '(root)'} ${err?.message ?? ''}`);
    }
    const outcome = await runCrmJob(job, ctx.token, deps, ctx.log);
    if (outcome.done === 'sent') ctx.log.info({ integration: job.data.integration, action: job.data.action, detail: outcome.detail }, 'CRM action delivered');
    else ctx.log.debug({ integration: job.data.integration, action: job.data.action, reason: outcome.reason }, 'CRM action skipped');
    return outcome;
  };
}

/** For a process built without CRM wiring (some tests, benches): a job here is a wiring bug, said plainly. */
export async function crmDispatchUnavailable(): Promise<never> {
  throw new Error('crm-dispatch: this workers process was built without CRM dependencies');
}
