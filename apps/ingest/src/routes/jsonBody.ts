/**
 * Reads a JSON body with a size limit: 413 past the limit (checked on Content-Length first, then
 * on the bytes), 400 for bad JSON. It replaces express.json on the hot path because the ingest
 * needs none of body-parser's content-type and charset negotiation (hosts post JSON, whatever header).
 */
import type { NextFunction, Request, Response } from 'express';
import type { IngestErrorBody } from '@callpipe/events';
import { markArrival, recordAnswer } from './ackMetrics.js';

function reply(req: Request, res: Response, status: number, body: IngestErrorBody): void {
  recordAnswer(req, res, body.error);
  res.status(status).set('connection', 'close').json(body);
}

export function jsonBody(limit: number) {
  const tooLarge: IngestErrorBody = { status: 'error', error: 'body_too_large', message: `body is larger than ${limit} bytes` };
  return (req: Request, res: Response, next: NextFunction): void => {
    markArrival(res);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reply(req, res, 413, tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reply(req, res, 413, tooLarge);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => { failed = true; });
    req.on('end', () => {
      if (failed) return;
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
      try {
        req.body = text.length ? (JSON.parse(text) as unknown) : undefined;
      } catch (err) {
        reply(req, res, 400, { status: 'error', error: 'malformed_json', field: '(body)', message: `body is not valid JSON: ${(err as Error).message}` });
        return;
      }
      next();
    });
  };
}
