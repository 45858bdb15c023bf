/** `npm run seed`: writes the demo enterprise (see demoSeed.ts) into DATABASE_URL. */
import { loadConfig } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import { createLogger, maskSecret } from '@callpipe/logging';
import { DEMO, seedDemo } from './demoSeed.js';

const config = loadConfig();
const log = createLogger('seed', config.logLevel);
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'seed' }));
try {
  await seedDemo(db, { host: '127.0.0.1', port: config.sandboxAmiPort, username: config.sandboxAmiUsername, secret: config.sandboxAmiSecret });
  log.info({ enterprise: DEMO.enterprise, name: DEMO.name, hostToken: maskSecret(DEMO.token) }, 'demo enterprise seeded');
} catch (err) {
  log.fatal({ err }, 'seed failed');
  process.exitCode = 1;
} finally {
  await db.destroy();
}
