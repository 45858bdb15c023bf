/** A tiny recording ingest stand-in for the emulator's tests (127.0.0.1, a free port). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACK_BODY } from '@callpipe/events';

export interface Received {
  path: string;
  body: unknown;
}

export interface TestServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** `respond` picks the status and body per request; default: 200 with ACK_BODY. */
export async function startTestServer(
  respond: (r: Received) => { status: number; body: unknown; delayMs?: number } = () => ({ status: 200, body: ACK_BODY }),
): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Kept as text: the test asserts on it.
      }
      const r = { path: req.url ?? '', body };
      received.push(r);
      const answer = respond(r);
      const send = () => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
