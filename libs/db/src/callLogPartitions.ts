/**
 * Autovacuum's ANALYZE of a call-log partition waits for this number of changed rows (PostgreSQL's default:
 * 50), plus its 10 %. A young partition was analyzed about once a minute (bench/pipeline: ~440 ANALYZEs
 * a minute at 400 enterprises), and each ANALYZE makes every connection load that partition's metadata
 * and plan its statements again: the A/B of issue 12 put the final Telegram message's p99 at 1.97 s with
 * it and 1.33 s without, at the same load. Their statements look rows up by key, which needs no fresh
 * statistics. The workers make partitions with it (apps/workers/src/callLog/partitions.ts); migration
 * 0013 set it on the ones made before.
 */
export const PARTITION_ANALYZE_THRESHOLD = 20_000;
