/**
 * Advisory-lock keys of the call log. While an entry is applied a lock is held per graph node and
 * per soft-link key it touches (so entries that could open or join the same call are serialized),
 * taken in ascending key order; the calls themselves are then locked as rows (call_log_begin).
 * Partition creation has a key of its own per enterprise and table. Above them all, an enterprise
 * key: a batch of events holds it exclusively (tried, never waited for), an entry applied alone holds
 * it shared, so a batch's locks, taken entry by entry in no global order, never meet another
 * writer's in a cycle (applyBatch.ts).
 */
import { createHash } from 'node:crypto';

/** A signed 64-bit key (pg_advisory_xact_lock's argument), as a decimal string. */
export function lockKey(enterprise: string, scope: 'node' | 'partitions' | 'enterprise', value: string): string {
  return createHash('sha256').update(`${scope}|${enterprise}|${value}`).digest().readBigInt64BE(0).toString();
}

export function sortedKeys(keys: Iterable<string>): string[] {
  return [...new Set(keys)].sort((a, b) => {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** The enterprise-wide key (see above). */
export function enterpriseLockKey(enterprise: string): string {
  return lockKey(enterprise, 'enterprise', '');
}
