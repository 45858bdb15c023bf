/** Every migration, in order. Listed statically so the built app needs no directory scan. */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002CallLog from './0002_call_log.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_call_log': m0002CallLog,
};
