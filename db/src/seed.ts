/** `npm run seed`: writes the demo enterprise (see demoSeed.ts) into DATABASE_URL. */
import { loadConfig } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import { createLogger, maskSecret } from '@callpipe/logging';
import { DEMO, DEMO_SANDBOX, seedDemo } from './demoSeed.js';

const config = loadConfig();
const log = createLogger('seed', config.logLevel);
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'seed' }));
try {
  // The sandbox's RetailCRM demo account is the demo enterprise's when SANDBOX_RETAILCRM_DEMO names it.
  const [account, enterprise] = (config.sandboxRetailcrmDemo ?? '').split(':');
  const sandbox = {
    baseUrl: `http://127.0.0.1:${config.sandboxPort}`,
    account: account && enterprise === DEMO.enterprise ? account : DEMO_SANDBOX.account,
    ami: { host: '127.0.0.1', port: config.sandboxAmiPort, username: config.sandboxAmiUsername, secret: config.sandboxAmiSecret },
  };
  await seedDemo(db, sandbox);
  log.info({ enterprise: DEMO.enterprise, name: DEMO.name, hostToken: maskSecret(DEMO.token), sandbox: sandbox.baseUrl, crmAccount: sandbox.account }, 'demo enterprise seeded');
} catch (err) {
  log.fatal({ err }, 'seed failed');
  process.exitCode = 1;
} finally {
  await db.destroy();
}
