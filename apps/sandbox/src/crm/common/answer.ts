/** One answer of a sandbox CRM, and how express sends it. */
import type { ErrorRequestHandler, Response } from 'express';

export interface SandboxAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** body is an HTML page (a proxy's error page), not JSON. */
  html?: boolean;
}

export function sendAnswer(res: Response, a: SandboxAnswer): void {
  for (const [k, v] of Object.entries(a.headers ?? {})) res.setHeader(k, v);
  if (a.html) res.status(a.status).type('html').send(String(a.body));
  else if (a.status === 204) res.status(204).end();
  else res.status(a.status).json(a.body);
}

/** An error handler after a CRM's body parsers: a body they refused gets the CRM's own answer. */
export function unreadableBody(a: SandboxAnswer): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    sendAnswer(res, a);
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
