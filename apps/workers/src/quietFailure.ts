/**
 * A job failure that is part of normal operation (another sync holds the chat's lock) or already
 * reported once elsewhere (a misconfigured enterprise): BullMQ still retries or ends the job, but the
 * worker host logs it at debug instead of one warning per job.
 */
export interface QuietFailure {
  readonly quiet: true;
}

export function isQuietFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as Partial<QuietFailure>).quiet === true;
}
