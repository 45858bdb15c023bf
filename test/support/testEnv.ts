/** What a test needs to talk to the real Redis and PostgreSQL without touching anyone else's keys or rows. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '@callpipe/config';
import { createLogger, type Logger } from '@callpipe/logging';
import { createDb, createPool, type Database } from '@callpipe/db';
import type { Kysely } from 'kysely';

/** A Redis prefix of this test run's own: {t<runTag><random>} (the run's teardown deletes {t<runTag>*}). */
export function uniquePrefix(): string {
  return `{t${inject('runTag')}${randomBytes(4).toString('hex')}}`;
}

/** A full config for one test: its own queue prefix and spool directory, the run's private database. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: uniquePrefix(),
    INGEST_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'callpipe-spool-')),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  });
}

/** The same settings as environment variables, for a child process. */
export function configEnv(config: Config): Record<string, string> {
  return {
    DATABASE_URL: config.databaseUrl,
    REDIS_URL: config.redisUrl,
    QUEUE_PREFIX: config.queuePrefix,
    INGEST_SPOOL_DIR: config.ingestSpoolDir,
    LOG_LEVEL: config.logLevel,
  };
}

export function testLogger(name = 'test'): Logger {
  return createLogger(name, (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent');
}

/** A unique enterprise number (varchar(10)) and host token for a test's own rows. */
export function uniqueEnterprise(): { number: string; token: string; name: string } {
  const n = randomBytes(4).readUInt32BE() % 1_000_000_000;
  return { number: `t${n}`, token: `tok${n}${randomBytes(3).toString('hex')}`, name: `test-${n}` };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined | false;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * The workers' batching as a workers process runs it by default (EVENTS_BATCH_MAX,
 * EVENTS_BATCH_IN_FLIGHT, and the batches' own connections), for harnesses that build processors
 * in-process. `close` ends the batches' pool.
 */
export function productionBatching(name: string): { eventBatch: { maxBatch: number; maxInFlight: number; db: Kysely<Database> }; close: () => Promise<void> } {
  const config = testConfig();
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: config.eventsBatchInFlight, applicationName: `${name}-batches` }));
  return { eventBatch: { maxBatch: config.eventsBatchMax, maxInFlight: config.eventsBatchInFlight, db }, close: () => db.destroy() };
}
