/** apps/ingest: the HTTP endpoint Asterisk hosts post their eight events to. */
import { loadConfig } from '@callpipe/config';
import { createServer } from 'node:http';
import { createLogger, listenOrExit } from '@callpipe/logging';
import { enableDefaultMetrics } from '@callpipe/metrics';
import { createIngest } from './ingest.js';
import { jsonClientError } from './routes/finalHandlers.js';

const config = loadConfig();
const log = createLogger('ingest', config.logLevel);
enableDefaultMetrics('ingest');
const ingest = createIngest(config, log);
const server = createServer(ingest.app);
server.keepAliveTimeout = 65_000;
server.on('clientError', jsonClientError);
// The port first: a clash exits before this process touches the spool. Until start() has loaded the
// token set, events are answered 503 (retryable).
await listenOrExit(server, config.ingestPort, log, 'ingest');
await ingest.start();

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
