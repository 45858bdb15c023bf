/**
 * The sandbox server: stands in, on localhost, for what this machine cannot reach. Today that is
 * the Asterisk host (an emulated host posting calls); the Telegram and CRM stand-ins join it here.
 */
import express, { type Express } from 'express';
import type { EmulatedHost } from './host/emulatedHost.js';

function page(host: EmulatedHost): string {
  const s = host.status;
  const errors = Object.entries(s.errors).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>callpipe sandbox</title>
<meta http-equiv="refresh" content="5">
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:50rem}td{padding:.2rem .8rem}</style></head>
<body><h1>callpipe sandbox</h1>
<p>Stand-ins for what this machine cannot reach. Development and tests only.</p>
<h2>Emulated Asterisk host</h2>
<table>
<tr><td>state</td><td>${s.running ? `calling, ${s.callsPerMinute} calls/min` : 'idle (SANDBOX_CALLS_PER_MINUTE=0)'}</td></tr>
<tr><td>calls sent</td><td>${s.callsSent}</td></tr>
<tr><td>events sent / acked</td><td>${s.eventsSent} / ${s.eventsAcked}</td></tr>
<tr><td>errors</td><td>${errors}</td></tr>
<tr><td>last pattern</td><td>${s.lastPattern ?? '-'}</td></tr>
</table>
<p>JSON: <a href="/emulator/status">/emulator/status</a></p>
</body></html>`;
}

export function createSandbox(host: EmulatedHost): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => { res.type('html').send(page(host)); });
  app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/emulator/status', (_req, res) => { res.json(host.status); });
  return app;
}
