/** apps/sandbox (development and tests only): stand-ins for third parties, and an emulated Asterisk host. */
import { loadConfig } from '@callpipe/config';
import { createLogger } from '@callpipe/logging';
import { EmulatedHost } from './host/emulatedHost.js';
import { createSandbox } from './sandbox.js';
import { TelegramSandbox } from './telegram/index.js';

const config = loadConfig();
const log = createLogger('sandbox', config.logLevel);
const host = new EmulatedHost({
  ingestUrl: config.sandboxIngestUrl, token: config.sandboxHostToken,
  callsPerMinute: config.sandboxCallsPerMinute, speed: config.sandboxSpeed, log,
});
const telegram = new TelegramSandbox({
  limits: {
    chatIntervalMs: config.sandboxTelegramChatIntervalMs, chatBurst: config.sandboxTelegramChatBurst,
    groupPerMinute: config.sandboxTelegramGroupPerMinute, botPerSecond: config.sandboxTelegramBotPerSecond,
  },
  tokens: config.sandboxTelegramBotTokens ?? [],
});
const server = createSandbox({ host, telegram }).listen(config.sandboxPort, () => {
  log.info({ port: config.sandboxPort, callsPerMinute: config.sandboxCallsPerMinute, telegramLimits: telegram.flood.limits }, 'sandbox listening');
  host.start();
});

function shutdown(): void {
  host.stop();
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
