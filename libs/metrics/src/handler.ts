/** The GET /metrics answer, for express apps and for a bare node:http server alike. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { register } from './metrics.js';

export async function writeMetrics(_req: IncomingMessage, res: ServerResponse, before?: () => Promise<void>): Promise<void> {
  try {
    if (before) await before();
  } catch {
    // A failed pre-scrape (Redis down) leaves the last values; the rest is still worth serving.
  }
  const body = await register.metrics();
  res.writeHead(200, { 'content-type': register.contentType });
  res.end(body);
}
