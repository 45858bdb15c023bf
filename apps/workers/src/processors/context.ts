/** What every processor receives besides its job: shared clients and a logger bound to the job. */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';

export interface ProcessorDeps {
  db: Kysely<Database>;
  log: Logger;
}

export interface JobContext {
  db: Kysely<Database>;
  /** Bound to { queue, jobId, attempt, enterprise, callId }. */
  log: Logger;
}
