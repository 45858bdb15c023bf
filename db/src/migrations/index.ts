/** Every migration, in order. Listed statically so the built app needs no directory scan. */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002CallLog from './0002_call_log.js';
import * as m0003CallFacts from './0003_call_facts.js';
import * as m0004NoPartyLink from './0004_no_party_link.js';
import * as m0005CallBacks from './0005_call_backs.js';
import * as m0006CallLogApply from './0006_call_log_apply.js';
import * as m0007CallLogApplyBatch from './0007_call_log_apply_batch.js';
import * as m0008CallLogApplyHeld from './0008_call_log_apply_held.js';
import * as m0009FlatCallLookups from './0009_flat_call_lookups.js';
import * as m0010CallLogGenericPlans from './0010_call_log_generic_plans.js';
import * as m0011TelegramUsersNotify from './0011_telegram_users_notify.js';
import * as m0012PartyNamesFunction from './0012_party_names_function.js';
import * as m0013PartitionAnalyzeThreshold from './0013_partition_analyze_threshold.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_call_log': m0002CallLog,
  '0003_call_facts': m0003CallFacts,
  '0004_no_party_link': m0004NoPartyLink,
  '0005_call_backs': m0005CallBacks,
  '0006_call_log_apply': m0006CallLogApply,
  '0007_call_log_apply_batch': m0007CallLogApplyBatch,
  '0008_call_log_apply_held': m0008CallLogApplyHeld,
  '0009_flat_call_lookups': m0009FlatCallLookups,
  '0010_call_log_generic_plans': m0010CallLogGenericPlans,
  '0011_telegram_users_notify': m0011TelegramUsersNotify,
  '0012_party_names_function': m0012PartyNamesFunction,
  '0013_partition_analyze_threshold': m0013PartitionAnalyzeThreshold,
};
