/**
 * One private PostgreSQL database per test run (created, migrated, dropped at the end), so that
 * parallel runs and the demo never share rows. Redis isolation is by queue prefix (see testEnv.ts):
 * every prefix of a run starts with the run's tag, and the teardown deletes exactly those keys.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../db/src/migrator.js';

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    /** Starts every Redis prefix of this run (testEnv.uniquePrefix). */
    runTag: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // System tests run the apps' built entry points; an incremental build keeps them current.
  // TEST_SKIP_BUILD=1: unit and in-process tests only (they run the sources); system tests need the build.
  if (process.env.TEST_SKIP_BUILD !== '1') {
    execFileSync(fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url)), ['-b'], { stdio: 'inherit', cwd: fileURLToPath(new URL('../../', import.meta.url)) });
  }
  const name = `callpipe_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await migrateToLatest(databaseUrl);
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  const runTag = randomBytes(3).toString('hex');
  project.provide('runTag', runTag);
  return async () => {
    await deleteRunKeys(runTag);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
}

/** Deletes the keys of this run's prefixes only ({t<runTag>…}); other runs' and the demo's stay. */
async function deleteRunKeys(runTag: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{t${runTag}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } catch (err) {
    process.stderr.write(`test teardown: Redis keys of run ${runTag} not deleted: ${(err as Error).message}\n`);
  } finally {
    redis.disconnect();
  }
}
