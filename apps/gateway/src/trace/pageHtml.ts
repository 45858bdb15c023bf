/**
 * The trace page: one self-contained HTML document (inline CSS and a few lines of JS, nothing
 * fetched from elsewhere) rendered from a TraceView. Made to be read at 3 a.m.: the call's outcome
 * first, then its timeline with a recipient filter, what each Telegram recipient was sent side by
 * side, the CRM attempts with their results, and the lookups with their timings. Pure.
 */
import type { TimelineItem, TraceView } from './view.js';

export const TRACE_PAGE_PATH = '/trace-ui';

const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const time = (iso: string | null) => (iso ? `<time datetime="${esc(iso)}">${esc(iso.slice(11, 23))}</time>` : '—');
const dayTime = (iso: string | null) => (iso ? `<time datetime="${esc(iso)}" data-full>${esc(iso.replace('T', ' ').slice(0, 19))} UTC</time>` : '—');
const json = (v: unknown) => esc(JSON.stringify(v, null, 2));
const pageLink = (id: string) => `<a class="chip" href="${TRACE_PAGE_PATH}/${encodeURIComponent(id)}">${esc(id)}</a>`;

function duration(sec: number | null): string {
  if (sec === null) return '—';
  const m = Math.floor(sec / 60);
  return m > 0 ? `${m} min ${sec % 60} s` : `${sec} s`;
}

const DIRECTION: Record<string, string> = { in: '↘ Inbound', out: '↗ Outbound', internal: '↔ Internal' };
const CALL_TYPE: Record<string, string> = { 0: 'in', 1: 'out', 2: 'internal' };
const HANGUP: Record<string, string> = { 0: 'not answered', 1: 'busy', 2: 'answered' };

/** One line saying what an entry was. */
function what(item: TimelineItem): string {
  const d = item.data;
  if (item.kind === 'event') {
    const b = (d.body ?? {}) as Record<string, unknown>;
    const parts = [`<b>${esc(item.type)}</b>`];
    if (str(b.Phone)) parts.push(`phone ${esc(b.Phone)}`);
    if (b.CallType !== undefined) parts.push(esc(CALL_TYPE[str(b.CallType)] ?? `type ${str(b.CallType)}`));
    if (Array.isArray(b.Extensions) && b.Extensions.length) parts.push(`ext ${esc(b.Extensions.join(', '))}`);
    if (b.CallStatus !== undefined) parts.push(`<span class="st st-${esc(str(b.CallStatus))}">${esc(HANGUP[str(b.CallStatus)] ?? `status ${str(b.CallStatus)}`)}</span>`);
    if (item.type === 'dial' || item.type === 'start') {
      if (str(b.CallerIDNum)) parts.push(`from ${esc(b.CallerIDNum)}`);
    } else if (str(b.CallerIDNum) || str(b.ConnectedLineNum)) {
      parts.push(`${esc(str(b.CallerIDNum) || '—')} ⇄ ${esc(str(b.ConnectedLineNum) || '—')}`);
    }
    if (str(b.BridgeType)) parts.push(`${esc(b.BridgeType)} bridge${b.BridgeNumChannels !== undefined ? `, ${esc(b.BridgeNumChannels)} in` : ''}`);
    return parts.join(' · ');
  }
  if (item.kind === 'telegram') {
    const text = str(d.text).split('\n')[0] ?? '';
    return `<b>${esc(d.action)}</b>${d.messageId !== undefined ? ` #${esc(d.messageId)}` : ''}${replacedNote(d)}${item.type ? ` (${esc(item.type)})` : ''}${d.error ? ` <span class="bad">${esc(d.error)}</span>` : ''} ${esc(text.slice(0, 120))}`;
  }
  if (item.kind === 'http') {
    const ok = typeof d.statusCode === 'number' && d.statusCode < 400;
    return `<b>${esc(d.method)}</b> ${esc(d.url)} → <span class="${ok ? 'good' : 'bad'}">${esc(d.statusCode ?? 'no answer')}</span>${d.durationMs !== undefined ? `, ${esc(d.durationMs)} ms` : ''}`;
  }
  if (item.kind === 'sql') return `<code>${esc(str(d.query).slice(0, 140))}</code>${d.durationMs !== undefined ? `, ${esc(d.durationMs)} ms` : ''}`;
  const ok = d.status === 'success' || d.status === 'ok';
  return `<b>${esc(d.integration)}</b> ${esc(d.operation)}: <span class="${ok ? 'good' : 'bad'}">${esc(d.status)}</span>${d.httpStatus !== undefined ? ` (HTTP ${esc(d.httpStatus)})` : ''}${d.durationMs !== undefined ? `, ${esc(d.durationMs)} ms` : ''}${d.error ? ` — ${esc(d.error)}` : ''}`;
}

function idsOf(item: TimelineItem): string {
  if (item.kind !== 'event') return '';
  const b = (item.data.body ?? {}) as Record<string, unknown>;
  return [str(b.UniqueId), str(b.BridgeUniqueid) ? `bridge ${str(b.BridgeUniqueid).slice(0, 8)}…` : ''].filter(Boolean).map(esc).join('<br>');
}

function timelineRows(v: TraceView): string {
  return v.timeline.map((item) => `
    <tr data-kind="${esc(item.kind)}" data-chat="${esc(item.chat_id ?? '')}">
      <td class="t">${time(item.at)}</td>
      <td class="num">+${(item.offset_ms / 1000).toFixed(1)}</td>
      <td><span class="k k-${esc(item.kind)}">${esc(item.kind === 'integration' ? 'crm' : item.kind)}</span></td>
      <td>${what(item)}</td>
      <td class="ids">${idsOf(item)}</td>
      <td>${esc(item.chat_id ?? '')}</td>
      <td><details><summary>data</summary><pre>${json(item.data)}</pre></details></td>
    </tr>`).join('');
}

/** A send that took the place of a message (deleted just before): one entry says both. */
function replacedNote(d: Record<string, unknown>): string {
  return d.replaced !== undefined ? ` in place of #${esc(d.replaced)} (deleted)` : '';
}

function recipients(v: TraceView): { chats: string[]; html: string } {
  const sends = v.timeline.filter((i) => i.kind === 'telegram' && i.chat_id);
  const chats = [...new Set(sends.map((i) => i.chat_id!))].sort();
  if (chats.length === 0) return { chats, html: '<p class="none">No Telegram message was logged for this call.</p>' };
  const cols = chats.map((chat) => {
    const items = sends.filter((i) => i.chat_id === chat).map((i) => `
      <li class="msg msg-${esc(i.data.action)}">
        <div class="msg-head">${time(i.at)} <b>${esc(i.data.action)}</b>${i.data.messageId !== undefined ? ` #${esc(i.data.messageId)}` : ''}${replacedNote(i.data)}${i.type ? ` <span class="muted">${esc(i.type)}</span>` : ''}</div>
        ${i.data.text ? `<pre class="text">${esc(i.data.text)}</pre>` : ''}${i.data.error ? `<div class="bad">${esc(i.data.error)}</div>` : ''}
      </li>`).join('');
    return `<div class="col" data-chat="${esc(chat)}"><h3>chat ${esc(chat)}</h3><ol>${items}</ol></div>`;
  }).join('');
  return { chats, html: `<div class="cols">${cols}</div>` };
}

function crmTable(v: TraceView): string {
  const rows = v.timeline.filter((i) => i.kind === 'integration');
  if (rows.length === 0) return '<p class="none">No CRM attempt was logged for this call.</p>';
  return `<table class="grid"><thead><tr><th>time</th><th>CRM</th><th>operation</th><th>result</th><th>HTTP</th><th>ms</th><th>attempt</th><th>error</th><th>request / response</th></tr></thead><tbody>${rows.map((i) => {
    const d = i.data;
    const ok = d.status === 'success' || d.status === 'ok';
    return `<tr><td class="t">${time(i.at)}</td><td>${esc(d.integration)}</td><td>${esc(d.operation)}</td><td><span class="badge ${ok ? 'b-good' : 'b-bad'}">${esc(d.status)}</span></td><td class="num">${esc(d.httpStatus ?? '')}</td><td class="num">${esc(d.durationMs ?? '')}</td><td class="num">${esc(d.attempt ?? '')}</td><td class="bad">${esc(d.error ?? '')}</td><td><details><summary>show</summary><pre>${json({ request: d.request, response: d.response })}</pre></details></td></tr>`;
  }).join('')}</tbody></table>`;
}

function lookupTable(v: TraceView): string {
  const rows = v.timeline.filter((i) => i.kind === 'http' || i.kind === 'sql');
  if (rows.length === 0) return '<p class="none">No lookup was logged for this call.</p>';
  return `<table class="grid"><thead><tr><th>time</th><th>lookup</th><th>result</th><th>ms</th></tr></thead><tbody>${rows.map((i) => {
    const d = i.data;
    const label = i.kind === 'http' ? `${esc(d.method)} ${esc(d.url)}` : `<code>${esc(str(d.query).slice(0, 160))}</code>`;
    const result = i.kind === 'http' ? esc(d.statusCode ?? '') : esc(JSON.stringify(d.result ?? null).slice(0, 80));
    return `<tr><td class="t">${time(i.at)}</td><td>${label}</td><td>${result}</td><td class="num">${esc(d.durationMs ?? '')}</td></tr>`;
  }).join('')}</tbody></table>`;
}

const STYLE = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#5b6470;--line:#d8dde3;--soft:#f3f5f7;--good:#126b2f;--bad:#b3261e;--warn:#8a5300;--info:#0b57d0}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header.top{display:flex;gap:16px;align-items:center;padding:10px 20px;background:#1b1f24;color:#fff}
header.top a{color:#fff;text-decoration:none;font-weight:600}header.top form{margin-left:auto;display:flex;gap:6px}
header.top input{width:340px;padding:6px 8px;border-radius:4px;border:0;font:inherit}header.top button{padding:6px 12px;font:inherit;border-radius:4px;border:0;background:#e8eaed;cursor:pointer}
main{padding:16px 20px 40px;max-width:1500px}h1{font-size:24px;margin:4px 0 10px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:0 0 6px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-size:14px;font-weight:600;color:#fff}
.s-answered,.b-good{background:var(--good)}.s-missed,.s-no_answer,.b-bad{background:var(--bad)}.s-busy{background:var(--warn)}.s-active{background:var(--info)}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:6px 18px;margin:0 0 10px}.facts div{background:var(--soft);padding:6px 10px;border-radius:6px}
.facts dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}.facts dd{margin:0;font-weight:600}
.chip{display:inline-block;font:13px ui-monospace,Menlo,Consolas,monospace;background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:1px 6px;margin:2px 4px 2px 0;color:var(--fg);text-decoration:none}
.chip.req{border-color:var(--info);background:#e8f0fe}.counts span{margin-right:14px}.muted,.none{color:var(--muted)}
.filters{display:flex;gap:18px;align-items:center;flex-wrap:wrap;padding:8px 10px;background:var(--soft);border-radius:6px;margin-bottom:6px}
.filters select{font:inherit;padding:3px 6px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}
thead th{position:sticky;top:0;background:#fff;font-size:13px;color:var(--muted);border-bottom:2px solid var(--line)}
tbody tr:nth-child(even){background:#fafbfc}td.t,td.num{white-space:nowrap;font-variant-numeric:tabular-nums}td.num{text-align:right}
td.ids{font:12px ui-monospace,Menlo,Consolas,monospace;color:var(--muted);white-space:nowrap}
.k{display:inline-block;min-width:64px;text-align:center;font-size:12px;font-weight:700;border-radius:4px;padding:1px 6px;color:#fff}
.k-event{background:#44505c}.k-telegram{background:#1c7ed6}.k-http{background:#7048e8}.k-sql{background:#2b8a3e}.k-integration{background:#d9480f}
.good{color:var(--good);font-weight:600}.bad{color:var(--bad);font-weight:600}.st-2{color:var(--good);font-weight:600}.st-0,.st-1{color:var(--bad);font-weight:600}
details summary{cursor:pointer;color:var(--info)}pre{margin:4px 0;white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;background:var(--soft);padding:6px;border-radius:4px;max-width:680px}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}.col{border:1px solid var(--line);border-radius:6px;padding:10px}
.col.dim{opacity:.35}.col ol{list-style:none;margin:0;padding:0}.msg{border-top:1px solid var(--line);padding:6px 0}.msg-delete .text{text-decoration:line-through;color:var(--muted)}
pre.text{font:14px/1.4 system-ui,sans-serif;max-width:none}
`;

const SCRIPT = `
(function(){
  var pad=function(n,w){return String(n).padStart(w||2,'0')};
  var off=-new Date().getTimezoneOffset(),zone='UTC'+(off>=0?'+':'-')+pad(Math.floor(Math.abs(off)/60))+':'+pad(Math.abs(off)%60);
  document.querySelectorAll('time[datetime]').forEach(function(t){var d=new Date(t.dateTime);if(isNaN(d))return;
    var hms=pad(d.getHours())+':'+pad(d.getMinutes())+':'+pad(d.getSeconds());
    t.textContent=t.hasAttribute('data-full')?d.getFullYear()+'-'+pad(d.getMonth()+1)+'-'+pad(d.getDate())+' '+hms+' '+zone:hms+'.'+pad(d.getMilliseconds(),3);});
  var z=document.getElementById('zone');if(z)z.textContent=zone;
  var sel=document.getElementById('recipient'),rows=[].slice.call(document.querySelectorAll('#timeline tbody tr')),
      boxes=[].slice.call(document.querySelectorAll('.kinds input')),shown=document.getElementById('shown'),
      cols=[].slice.call(document.querySelectorAll('.cols .col'));
  function apply(){var chat=sel?sel.value:'',kinds={},n=0;boxes.forEach(function(b){kinds[b.getAttribute('data-kind')]=b.checked});
    rows.forEach(function(r){var c=r.getAttribute('data-chat');var ok=kinds[r.getAttribute('data-kind')]!==false&&(!chat||!c||c===chat);r.hidden=!ok;if(ok)n++;});
    cols.forEach(function(c){c.classList.toggle('dim',!!chat&&c.getAttribute('data-chat')!==chat)});
    if(shown)shown.textContent=n+' of '+rows.length+' entries shown';}
  if(sel)sel.addEventListener('change',apply);boxes.forEach(function(b){b.addEventListener('change',apply)});apply();
})();
`;

function shell(title: string, body: string, id = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><header class="top"><a href="${TRACE_PAGE_PATH}/">callpipe · call trace</a>
<form method="get" action="${TRACE_PAGE_PATH}/"><input name="id" value="${esc(id)}" placeholder="UniqueId or BridgeUniqueid of the call" aria-label="call id"><button>Open</button></form></header>
<main>${body}</main><script>${SCRIPT}</script></body></html>`;
}

export function renderTracePage(v: TraceView): string {
  const s = v.summary;
  const { chats, html: recipientHtml } = recipients(v);
  const ids = [...v.ids.unique_ids, ...v.ids.bridge_unique_ids];
  const chip = (id: string) => (id === v.requested_id ? pageLink(id).replace('class="chip"', 'class="chip req"') : pageLink(id));
  const kindBox = (kind: string, label: string) => `<label><input type="checkbox" data-kind="${kind}" checked> ${label} (${v.counts[kind as keyof typeof v.counts]})</label>`;
  const body = `
<section class="summary">
  <h1><span>${esc(DIRECTION[s.direction ?? ''] ?? 'Call')}</span> <span class="badge s-${esc(s.status)}">${esc(s.status.replace('_', ' '))}</span> <span>${esc(s.phones.join(', ') || s.extensions.join(' ↔ '))}</span></h1>
  <dl class="facts">
    <div><dt>started</dt><dd>${dayTime(s.start_time)}</dd></div>
    <div><dt>ended</dt><dd>${dayTime(s.end_time)}</dd></div>
    <div><dt>duration</dt><dd>${duration(s.duration_sec)}</dd></div>
    <div><dt>enterprise</dt><dd>${esc(v.enterprise_number)}</dd></div>
    <div><dt>extensions</dt><dd>${esc(s.extensions.join(', ') || '—')}</dd></div>
    <div><dt>outside phones</dt><dd>${esc(s.phones.join(', ') || '—')}</dd></div>
  </dl>
  <p><span class="muted">ids of this call (${ids.length}):</span> ${ids.map(chip).join('')}</p>
  <p class="counts"><span>events <b>${v.counts.event}</b></span><span>Telegram <b>${v.counts.telegram}</b></span><span>CRM <b>${v.counts.integration}</b></span><span>HTTP lookups <b>${v.counts.http}</b></span><span>SQL lookups <b>${v.counts.sql}</b></span><span class="muted">times in <span id="zone">UTC</span></span></p>
</section>
<section id="timeline"><h2>Timeline</h2>
  <div class="filters">
    <label>Recipient <select id="recipient"><option value="">everyone</option>${chats.map((c) => `<option value="${esc(c)}">chat ${esc(c)}</option>`).join('')}</select></label>
    <span class="kinds">${kindBox('event', 'events')} ${kindBox('telegram', 'Telegram')} ${kindBox('integration', 'CRM')} ${kindBox('http', 'HTTP')} ${kindBox('sql', 'SQL')}</span>
    <span id="shown" class="muted"></span>
  </div>
  <table><thead><tr><th>time</th><th>+s</th><th>kind</th><th>what</th><th>ids</th><th>recipient</th><th></th></tr></thead>
  <tbody>${timelineRows(v)}</tbody></table>
</section>
<section id="recipients"><h2>What each recipient got</h2>${recipientHtml}</section>
<section id="crm"><h2>CRM attempts</h2>${crmTable(v)}</section>
<section id="lookups"><h2>Lookups and their timings</h2>${lookupTable(v)}</section>`;
  return shell(`${DIRECTION[s.direction ?? ''] ?? 'Call'} ${s.phones[0] ?? ''} · ${s.status} · trace`, body, v.requested_id);
}

export function renderNotFoundPage(id: string): string {
  return shell('No such call · trace', id
    ? `<h1>No call has the id <code>${esc(id)}</code></h1><p class="muted">Any UniqueId or BridgeUniqueid of a call opens it. A call shows up here once its first event has been processed (seconds after the host sent it).</p>`
    : '<h1>Open a call</h1><p class="muted">Paste any UniqueId or BridgeUniqueid of the call in the box above.</p>', id);
}
