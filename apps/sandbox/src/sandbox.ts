/**
 * The sandbox server: stands in, on localhost, for what this machine cannot reach: the Asterisk host
 * (an emulated host posting calls) and the Telegram Bot API; the CRM stand-ins join it here.
 */
import express, { type Express } from 'express';
import type { EmulatedHost } from './host/emulatedHost.js';
import { adminRoutes, botApiRoutes, type TelegramSandbox } from './telegram/index.js';

export interface SandboxParts {
  host: EmulatedHost;
  telegram: TelegramSandbox;
}

function page(host: EmulatedHost, telegram: TelegramSandbox): string {
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
<h2>Telegram Bot API</h2>
<p>Bots send to <code>/bot&lt;token&gt;/&lt;method&gt;</code> here (set <code>TELEGRAM_API_BASE</code> to this server).
${telegram.state.chatList().length} chats. <a href="/telegram">The chats as a person sees them</a> ·
<a href="/_sandbox/telegram/calls?limit=100">last calls</a> · <a href="/_sandbox/telegram/faults">faults</a> ·
<a href="/_sandbox/telegram/limits">limits</a></p>
</body></html>`;
}

export function createSandbox({ host, telegram }: SandboxParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(botApiRoutes(telegram));
  app.use(adminRoutes(telegram));
  app.get('/', (_req, res) => { res.type('html').send(page(host, telegram)); });
  app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/emulator/status', (_req, res) => { res.json(host.status); });
  return app;
}
