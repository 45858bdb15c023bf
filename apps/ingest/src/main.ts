/** apps/ingest: the HTTP endpoint Asterisk hosts post their eight events to. */
import { loadConfig } from '@callpipe/config';
import { createLogger } from '@callpipe/logging';
import { enableDefaultMetrics } from '@callpipe/metrics';
import { createIngest } from './ingest.js';

const config = loadConfig();
const log = createLogger('ingest', config.logLevel);
enableDefaultMetrics('ingest');
const ingest = createIngest(config, log);
await ingest.start();
const server = ingest.app.listen(config.ingestPort, () => log.info({ port: config.ingestPort }, 'ingest listening'));
server.keepAliveTimeout = 65_000;

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'ingest stopping: no new connections, in-flight requests finish');
  const timer = setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
  server.close();
  server.closeIdleConnections();
  await ingest.stop();
  clearTimeout(timer);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
