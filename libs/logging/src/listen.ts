/**
 * Starting a process's HTTP server: resolves once it listens; a port in use (or any listen error)
 * is one clear fatal line and a non-zero exit, never a "listening" line over a dead server.
 */
import type { Server } from 'node:http';
import type { Logger } from 'pino';

export function listenOrExit(server: Server, port: number, log: Logger, what: string, host?: string): Promise<void> {
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EADDRINUSE' ? `port ${port} is already in use (another ${what} running?)`
        : err.code === 'EACCES' ? `no permission to listen on port ${port}` : err.message;
      log.fatal({ port, code: err.code }, `${what} cannot start: ${reason}`);
      process.exit(1);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      log.info({ port }, `${what} listening`);
      resolve();
    });
  });
}
