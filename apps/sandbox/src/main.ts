/** apps/sandbox (development and tests only): stand-ins for third parties, and an emulated Asterisk host. */
import { loadConfig } from '@callpipe/config';
import { createDb, createPool } from '@callpipe/db';
import { createLogger } from '@callpipe/logging';
import { EmulatedHost } from './host/emulatedHost.js';
import { enterpriseOfToken, recordedIds } from './host/recordedIds.js';
import { sandboxServer } from './sandbox.js';
import { firstMessageIdNow, TelegramSandbox } from './telegram/index.js';
import { AmiSandbox } from './ami/index.js';
import { RetailCrmSandbox } from './crm/retailcrm/index.js';
import { setUpDemoAccount } from './crm/retailcrm/demoAccount.js';
import { newMoreCrms } from './crm/moreCrms.js';
import { setUpDemoAccounts } from './crm/demoAccounts.js';

const config = loadConfig();
const log = createLogger('sandbox', config.logLevel);
// The correlation check reads the call log (call_ids) directly; a small pool, used once a minute.
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'sandbox-tally' }));
const host = new EmulatedHost({
  ingestUrl: config.sandboxIngestUrl, token: config.sandboxHostToken,
  callsPerMinute: config.sandboxCallsPerMinute, speed: config.sandboxSpeed, log,
  readRecords: async (ids) => {
    const enterprise = await enterpriseOfToken(db, config.sandboxHostToken);
    return enterprise ? recordedIds(db, enterprise, ids) : { recordOf: new Map(), idsOf: new Map() };
  },
});
const telegram = new TelegramSandbox({
  limits: {
    chatIntervalMs: config.sandboxTelegramChatIntervalMs, chatBurst: config.sandboxTelegramChatBurst,
    groupPerMinute: config.sandboxTelegramGroupPerMinute, botPerSecond: config.sandboxTelegramBotPerSecond,
  },
  tokens: config.sandboxTelegramBotTokens ?? [],
  // Above the ids of the last run's messages, which a reused database's traces and call messages still name.
  firstMessageId: firstMessageIdNow(),
});
// The PBX's AMI: an answered Originate becomes a call the emulated host posts to the ingest.
const ami = new AmiSandbox({
  username: config.sandboxAmiUsername, secret: config.sandboxAmiSecret, token: config.sandboxHostToken,
  placeCall: (call) => host.placeCall(call).catch((err: Error) => { log.warn({ err }, 'originated call not fully posted'); throw err; }),
});
if (config.sandboxAmiPort > 0) {
  ami.listen(config.sandboxAmiPort).then(
    (port) => log.info({ port }, 'sandbox AMI listening'),
    (err: Error) => log.error({ err, port: config.sandboxAmiPort }, 'sandbox AMI could not listen'),
  );
}
// The demo's RetailCRM account: its "call" buttons click-to-call through the gateway, as RetailCRM's would.
const retailcrm = new RetailCrmSandbox();
// The same account in the other CRMs (the demo seed points MoySklad, U-ON and Bitrix24 at it too).
const moreCrms = newMoreCrms();
if (config.sandboxRetailcrmDemo) {
  setUpDemoAccount(retailcrm, config.sandboxRetailcrmDemo, `${config.publicBaseUrl}/retailcrm/make-call`);
  setUpDemoAccounts(moreCrms, config.sandboxRetailcrmDemo.split(':')[0]!);
}
const server = sandboxServer({ host, telegram, ami, retailcrm, moreCrms }).listen(config.sandboxPort, () => {
  log.info({ port: config.sandboxPort, callsPerMinute: config.sandboxCallsPerMinute, telegramLimits: telegram.flood.limits }, 'sandbox listening');
  host.start();
});

function shutdown(): void {
  host.stop();
  void ami.close();
  void db.destroy();
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
