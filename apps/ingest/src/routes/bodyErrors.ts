/** Maps body-parser failures to the ingest's error bodies: 413 for size, 400 for bad JSON. */
import type { NextFunction, Request, Response } from 'express';
import type { IngestErrorBody } from '@callpipe/events';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  message?: string;
}

export function bodyErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as BodyParserError;
  if (e?.type === 'entity.too.large') {
    res.status(413).json({ status: 'error', error: 'body_too_large', message: `body is larger than ${e.limit} bytes` } satisfies IngestErrorBody);
    return;
  }
  if (e?.type === 'entity.parse.failed' || e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    res.status(400).json({ status: 'error', error: 'malformed_json', field: '(body)', message: `body is not valid JSON: ${e.message ?? ''}`.trim() } satisfies IngestErrorBody);
    return;
  }
  next(err);
}
