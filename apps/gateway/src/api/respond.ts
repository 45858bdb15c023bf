/** Writing the API's JSON answers: one serialisation, no ETag (answers carry their age), one error shape. */
import type { Response } from 'express';

export type ApiErrorCode =
  | 'unknown_enterprise' | 'unknown_integration' | 'invalid_integration' | 'unknown_token'
  | 'invalid_body' | 'malformed_json' | 'body_too_large' | 'unavailable'
  | 'invalid_param' | 'not_found' | 'internal';

export interface ApiErrorBody {
  status: 'error';
  error: ApiErrorCode;
  message: string;
  /** The failing field or parameter for 400s ("phone", "raw.CallType", "(body)", "enterprise"). */
  field?: string;
}

export function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

export function fail(res: Response, status: number, error: ApiErrorCode, message: string, field?: string): void {
  const body: ApiErrorBody = field === undefined ? { status: 'error', error, message } : { status: 'error', error, message, field };
  sendJson(res, status, body);
}

export function unknownEnterprise(res: Response, id: string): void {
  fail(res, 404, 'unknown_enterprise', `Enterprise not found: no active enterprise has number, name or host token "${id}"`);
}
