/**
 * The last two handlers of the ingest: any path or method no route serves, and any error a route
 * threw. Both answer JSON in the ingest's error shape (hosts' scripts log the body); an error page
 * never shows a stack or a file path, whatever NODE_ENV says.
 */
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import type { IngestErrorBody } from '@callpipe/events';
import type { Logger } from '@callpipe/logging';
import { recordAnswer } from './ackMetrics.js';

function reply(req: Request, res: Response, status: number, body: IngestErrorBody): void {
  recordAnswer(req, res, body.error);
  res.status(status).json(body);
}

export function notFound(req: Request, res: Response): void {
  reply(req, res, 404, { status: 'error', error: 'not_found', message: `no route for ${req.method} ${req.path}; events are POSTed to /{event}` });
}

/** Express marks its own client errors (a path escape it cannot decode) with a 4xx status. */
const clientStatus = (err: unknown): number | undefined => {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
};

export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const status = clientStatus(err);
    if (status !== undefined) {
      const bad = err instanceof URIError;
      reply(req, res, status, bad
        ? { status: 'error', error: 'unknown_event', field: 'event', message: 'the event name in the path is not a valid URI escape' }
        : { status: 'error', error: 'bad_request', message: 'the request could not be read' });
      return;
    }
    log.error({ err, path: req.path }, 'ingest request failed');
    reply(req, res, 500, { status: 'error', error: 'internal', message: 'the event could not be handled; it was not queued' });
  };
}

const CLIENT_ERROR_STATUS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/**
 * The server's `clientError` listener: a request Node's HTTP parser cannot read (a bad request line,
 * a bad Content-Length, headers too large) is answered in the same JSON shape, not an empty 400.
 */
export function jsonClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, text] = CLIENT_ERROR_STATUS[err.code ?? ''] ?? [400, 'Bad Request'];
  const body = JSON.stringify({ status: 'error', error: 'bad_request', message: 'the request could not be read as HTTP' } satisfies IngestErrorBody);
  socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
