/** apps/gateway: what operators and the project's own processes call (health, Bull Board, the 8020 API). */
import { loadConfig } from '@callpipe/config';
import { createServer } from 'node:http';
import { createLogger, listenOrExit } from '@callpipe/logging';
import { enableDefaultMetrics } from '@callpipe/metrics';
import { createGateway } from './gateway.js';

const config = loadConfig();
const log = createLogger('gateway', config.logLevel);
enableDefaultMetrics('gateway');
const gateway = createGateway(config, log);
const server = createServer(gateway.app);
await listenOrExit(server, config.gatewayPort, log, 'gateway');
await gateway.start();

async function shutdown(signal: string): Promise<void> {
  log.info({ signal }, 'gateway stopping');
  setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
  server.close();
  server.closeIdleConnections();
  await gateway.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
