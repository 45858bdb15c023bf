/** `npm run migrate`: the database at DATABASE_URL to the latest schema. Safe to run again. */
import { loadConfig } from '@callpipe/config';
import { createLogger } from '@callpipe/logging';
import { migrateToLatest } from './migrator.js';

const config = loadConfig();
const log = createLogger('migrate', config.logLevel);
try {
  const results = await migrateToLatest(config.databaseUrl);
  for (const r of results) log.info({ migration: r.migrationName, status: r.status }, 'migration');
  log.info({ applied: results.length }, results.length ? 'database migrated' : 'database already at the latest schema');
} catch (err) {
  log.fatal({ err }, 'migration failed');
  process.exitCode = 1;
}
