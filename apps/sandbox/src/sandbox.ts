/**
 * The sandbox server: stands in, on localhost, for what this machine cannot reach: the Asterisk host
 * (an emulated host posting calls) and the Telegram Bot API; the CRM stand-ins join it here.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import express, { type Express } from 'express';
import type { EmulatedHost } from './host/emulatedHost.js';
import { adminRoutes, handleBotApi, type TelegramSandbox } from './telegram/index.js';
import { retailCrmAdminRoutes, retailCrmApiRoutes, RetailCrmSandbox } from './crm/retailcrm/index.js';
import { mountMoreCrms, moreCrmsSection, newMoreCrms, type MoreCrms } from './crm/moreCrms.js';
import { amiRoutes, type AmiSandbox } from './ami/index.js';

export interface SandboxParts {
  host: EmulatedHost;
  telegram: TelegramSandbox;
  /** RetailCRM API v5 stand-in; a fresh one when not given. */
  retailcrm?: RetailCrmSandbox;
  /** MoySklad, U-ON and Bitrix24 stand-ins; fresh ones when not given. */
  moreCrms?: MoreCrms;
  /** The Asterisk Manager Interface stand-in (its TCP server runs on its own port); its HTTP view is mounted when given. */
  ami?: AmiSandbox;
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
<p>JSON: <a href="/emulator/status">/emulator/status</a> · correlation check (every placed call against the call log's records):
<a href="/host/tally">/host/tally</a></p>
<h2>Telegram Bot API</h2>
<p>Bots send to <code>/bot&lt;token&gt;/&lt;method&gt;</code> here (set <code>TELEGRAM_API_BASE</code> to this server).
${telegram.state.chatList().length} chats. <a href="/telegram">The chats as a person sees them</a> ·
<a href="/_sandbox/telegram/calls?limit=100">last calls</a> · <a href="/_sandbox/telegram/faults">faults</a> ·
<a href="/_sandbox/telegram/limits">limits</a></p>
<h2>RetailCRM API v5</h2>
<p>Integrations with <code>domain</code> = <code>http://&lt;this server&gt;/retailcrm/&lt;account&gt;</code> call it.
<a href="/retailcrm">What each manager sees</a> · <a href="/_sandbox/retailcrm/requests?limit=100">last requests</a> ·
<a href="/_sandbox/retailcrm/faults">faults</a> · <a href="/_sandbox/retailcrm/limits">limits</a></p>
${moreCrmsSection()}
<h2>Asterisk Manager Interface</h2>
<p>Click-to-call originates here (TCP, <code>SANDBOX_AMI_PORT</code>); each answered Originate becomes a call the emulated host posts.
<a href="/ami">What it was asked</a> · <a href="/_sandbox/ami/actions">JSON</a></p>
</body></html>`;
}

export function createSandbox({ host, telegram, retailcrm = new RetailCrmSandbox(), moreCrms = newMoreCrms(), ami }: SandboxParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(adminRoutes(telegram));
  app.use(retailCrmApiRoutes(retailcrm));
  app.use(retailCrmAdminRoutes(retailcrm));
  mountMoreCrms(app, moreCrms);
  if (ami) app.use(amiRoutes(ami));
  app.get('/', (_req, res) => { res.type('html').send(page(host, telegram)); });
  app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/emulator/status', (_req, res) => { res.json(host.status); });
  app.get('/host/tally', async (_req, res) => {
    try {
      const tally = await host.tally();
      if (!tally) return res.status(404).json({ status: 'error', error: 'no_tally', message: 'the emulated host has no call-log reader' });
      res.json(tally);
    } catch (err) {
      res.status(503).json({ status: 'error', error: 'unavailable', message: `the call log could not be read: ${(err as Error).message}` });
    }
  });
  return app;
}

/**
 * The sandbox's request handler: the Bot API answered on node:http before express sees the request
 * (express's app and router were ~15 % of the sandbox's CPU a Bot API request in bench/pipeline's
 * profile: CPU Telegram would spend, not us), every other path by the app.
 */
export function sandboxHandler(parts: SandboxParts): RequestListener {
  const app = createSandbox(parts);
  return (req, res) => {
    if (!handleBotApi(parts.telegram, req, res)) app(req, res);
  };
}

/** The sandbox's HTTP server (sandboxHandler), not yet listening. */
export function sandboxServer(parts: SandboxParts): Server {
  return createServer(sandboxHandler(parts));
}
