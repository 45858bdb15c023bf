/** apps/gateway: what operators and the project's own processes call (health, Bull Board, the 8020 API). */
import { loadConfig } from '@callpipe/config';
import { createLogger } from '@callpipe/logging';
import { enableDefaultMetrics } from '@callpipe/metrics';
import { createGateway } from './gateway.js';

const config = loadConfig();
const log = createLogger('gateway', config.logLevel);
enableDefaultMetrics('gateway');
const gateway = createGateway(config, log);
await gateway.start();
const server = gateway.app.listen(config.gatewayPort, () => log.info({ port: config.gatewayPort }, 'gateway listening'));

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
