/** What every processor receives besides its job: shared clients and a logger bound to the job. */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import type { Producers } from '@callpipe/queues';

export interface ProcessorDeps {
  db: Kysely<Database>;
  log: Logger;
  /** Adds jobs to any queue of the catalogue (fan-out, follow-up work). */
  producers: Producers;
}

export interface JobContext extends ProcessorDeps {
  /** Bound to { queue, jobId, attempt, enterprise, callId }. */
  log: Logger;
  /** The worker's lock token of this job: needed to move it to delayed from inside its processor. */
  token?: string;
}
