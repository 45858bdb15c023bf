/**
 * Jobs that fail because of an enterprise's setup (a malformed bot token, settings that fail their
 * schema, a CRM refusing its credentials) stop at once: retries cannot fix them. The fault goes to
 * the shared registry (/health and /stats list it) and is logged once per enterprise and change,
 * not once per job; the job ends with a `Misconfigured` error (an UnrecoverableError).
 */
import { UnrecoverableError } from 'bullmq';
import type { Logger } from '@callpipe/logging';
import type { MisconfigIntegration, MisconfigRegistry } from '@callpipe/queues';
import type { QuietFailure } from './quietFailure.js';

/** Logged once by the registry's change check; the worker host keeps its per-job line at debug. */
export class Misconfigured extends UnrecoverableError implements QuietFailure {
  readonly quiet = true;

  constructor(readonly enterprise: string, readonly integration: MisconfigIntegration, readonly reason: string) {
    super(`${integration} of enterprise ${enterprise} is misconfigured: ${reason}`);
    this.name = 'Misconfigured';
  }
}

/** Reports the fault (logging it when it is new or changed) and ends the job without retries. */
export async function stopMisconfigured(
  registry: MisconfigRegistry, log: Logger, enterprise: string, integration: MisconfigIntegration, reason: string,
): Promise<never> {
  await noteMisconfigured(registry, log, enterprise, integration, reason);
  throw new Misconfigured(enterprise, integration, reason);
}

/** Reports the fault, logging it when it is new or its reason changed. */
export async function noteMisconfigured(
  registry: MisconfigRegistry, log: Logger, enterprise: string, integration: MisconfigIntegration, reason: string,
): Promise<void> {
  if (await registry.report(enterprise, integration, reason)) {
    log.error({ enterprise, integration, reason }, 'enterprise misconfigured: its jobs stop until the setting is fixed (listed in gateway /health)');
  }
}

/** Clears the fault once the setting works again, logging the fix once. */
export async function noteFixed(registry: MisconfigRegistry, log: Logger, enterprise: string, integration: MisconfigIntegration): Promise<void> {
  if (await registry.clear(enterprise, integration)) log.info({ enterprise, integration }, 'enterprise misconfiguration fixed');
}
