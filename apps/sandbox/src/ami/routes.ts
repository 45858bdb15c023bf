/**
 * The sandbox AMI over HTTP: what it was asked (JSON for tests, a page for people) and its fault mode.
 *   GET  /_sandbox/ami/actions?limit=N   the last actions, newest last (secrets masked)
 *   GET  /_sandbox/ami/mode              { mode }
 *   POST /_sandbox/ami/mode {"mode": …}  normal | slow | refuse | bad-login
 *   GET  /ami                            the same as a page
 */
import express, { Router } from 'express';
import { AMI_MODES, type AmiMode, type AmiSandbox } from './amiSandbox.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(ami: AmiSandbox): string {
  const rows = ami.records.slice(-100).reverse().map((r) => `<tr><td>${esc(r.at)}</td><td>${r.connection}</td><td>${esc(r.action)}</td>
<td><code>${esc(Object.entries(r.fields).filter(([k]) => k !== 'action').map(([k, v]) => `${k}: ${v}`).join('\n'))}</code></td>
<td>${esc(r.answer)}${r.callPosted === undefined ? '' : r.callPosted ? '<br>call posted to the ingest' : '<br>call NOT posted'}</td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sandbox AMI</title><meta http-equiv="refresh" content="5">
<style>body{font:15px system-ui,sans-serif;margin:2rem}td{padding:.2rem .6rem;vertical-align:top;border-bottom:1px solid #ddd}code{white-space:pre}</style></head>
<body><h1>Sandbox Asterisk Manager Interface</h1>
<p>TCP port ${ami.port}; mode <b>${ami.mode}</b> (POST /_sandbox/ami/mode with {"mode": ${AMI_MODES.map((m) => `"${m}"`).join(' | ')}}).
A successful Originate becomes an outbound call the emulated host posts to the ingest. <a href="/">sandbox</a></p>
<table><tr><th>time</th><th>conn</th><th>action</th><th>fields</th><th>answer</th></tr>${rows}</table></body></html>`;
}

export function amiRoutes(ami: AmiSandbox): Router {
  const router = Router();
  router.get('/_sandbox/ami/actions', (req, res) => {
    const limit = Math.min(500, Math.max(1, Number(req.query.limit) || 100));
    res.json({ mode: ami.mode, port: ami.port, actions: ami.records.slice(-limit) });
  });
  router.get('/_sandbox/ami/mode', (_req, res) => { res.json({ mode: ami.mode }); });
  router.post('/_sandbox/ami/mode', express.json(), (req, res) => {
    const mode = (req.body as { mode?: unknown } | undefined)?.mode;
    if (typeof mode !== 'string' || !(AMI_MODES as readonly string[]).includes(mode)) {
      return res.status(400).json({ status: 'error', message: `mode must be one of ${AMI_MODES.join(', ')}` });
    }
    ami.setMode(mode as AmiMode);
    res.json({ mode: ami.mode });
  });
  router.get('/ami', (_req, res) => { res.type('html').send(page(ami)); });
  return router;
}
