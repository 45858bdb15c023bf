/**
 * GET /retailcrm: every sandbox RetailCRM account as its managers would see it. One card per
 * manager with the call popup on their screen now (opened by an in/out event naming them, closed by
 * the hangup), and the account's call history as calls/upload filled it. Polls the admin API each second.
 */
export function retailCrmPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sandbox RetailCRM</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:0;background:#f3f5f8;color:#1d2430}
header{background:#2c3e66;color:#fff;padding:.7rem 1.2rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header h1{font-size:1.1rem;margin:0}header a{color:#cfe0ff}
#status{font-size:.85rem;opacity:.9}
main{padding:1rem;display:flex;flex-direction:column;gap:1.5rem}
.account h2{font-size:1rem;margin:0 0 .6rem}
.account h2 small{font-weight:normal;color:#667}
.managers{display:flex;gap:.8rem;flex-wrap:wrap}
.manager{background:#fff;border-radius:8px;box-shadow:0 1px 2px #0002;width:17rem;padding:.6rem .7rem;min-height:7rem}
.manager h3{font-size:.9rem;margin:0 0 .5rem}.manager h3 small{color:#778;font-weight:normal}
.screen{display:flex;flex-direction:column;gap:.4rem}
.popup{border-left:4px solid #2e9c5a;background:#eaf7ef;border-radius:6px;padding:.45rem .55rem;animation:pop .5s ease-out}
.popup.out{border-color:#2f6fd6;background:#eaf1fd}
.popup b{display:block}.popup .meta{font-size:.8rem;color:#556}
.idle{color:#99a;font-size:.85rem}
.closed{font-size:.75rem;color:#99a}
@keyframes pop{from{transform:scale(.95);background:#fff7b0}to{transform:none}}
table.history{border-collapse:collapse;background:#fff;margin-top:.8rem;width:100%;max-width:70rem;box-shadow:0 1px 2px #0002}
table.history th,table.history td{padding:.3rem .6rem;border-bottom:1px solid #eceff3;text-align:left;font-size:.85rem}
.empty{color:#778;padding:2rem}
</style></head><body>
<header><h1>Sandbox RetailCRM</h1><span id="status">loading…</span>
<a href="/_sandbox/retailcrm/screens">screens JSON</a><a href="/_sandbox/retailcrm/requests?limit=100">requests JSON</a><a href="/_sandbox/retailcrm/faults">faults</a><a href="/">sandbox</a></header>
<main id="accounts"><p class="empty">No account has been called yet. Point an integration's domain at http://&lt;this server&gt;/retailcrm/&lt;account&gt;.</p></main>
<script>
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function since(ms) { const s = Math.max(0, Math.round((Date.now() - ms) / 1000)); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); }
function popupBox(p) {
  const box = el('div', 'popup ' + p.type);
  box.dataset.call = p.callKey;
  box.append(el('b', '', (p.type === 'in' ? 'Incoming call ' : 'Outgoing call ') + p.phone));
  if (p.customerName) box.append(el('span', 'customer', p.customerName));
  box.append(el('span', 'meta', (p.externalPhone ? 'line ' + p.externalPhone + ' · ' : '') + 'on screen ' + since(p.openedAtMs)));
  return box;
}
function managerCard(m) {
  const card = el('section', 'manager');
  card.dataset.user = m.userId;
  if (m.code) card.dataset.code = m.code;
  const h = el('h3', '', m.name + ' ');
  h.append(el('small', '', m.code ? 'ext ' + m.code : 'no extension'));
  const screen = el('div', 'screen');
  if (m.popups.length === 0) screen.append(el('span', 'idle', 'no call on screen'));
  for (const p of m.popups) screen.append(popupBox(p));
  card.append(h, screen);
  if (m.recentlyClosed.length) card.append(el('div', 'closed', 'closed: ' + m.recentlyClosed.map((c) => c.phone + (c.hangupStatus ? ' (' + c.hangupStatus + ')' : '')).join(', ')));
  return card;
}
function historyTable(rows) {
  const t = el('table', 'history');
  const head = el('tr');
  for (const c of ['date (host)', 'type', 'phone', 'manager', 'result', 'duration', 'record', 'call id']) head.append(el('th', '', c));
  const thead = el('thead'); thead.append(head);
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    tr.dataset.externalId = r.externalId;
    const rec = el('td');
    if (r.recordUrl) { const a = el('a', '', 'listen'); a.href = r.recordUrl; rec.append(a); }
    tr.append(el('td', '', r.date), el('td', 'type', r.type), el('td', '', r.phone), el('td', 'manager', r.managerName || r.code || '—'),
      el('td', 'result', r.result), el('td', 'duration', r.duration === undefined ? '' : r.duration + ' s'), rec, el('td', '', r.externalId));
    body.append(tr);
  }
  t.append(thead, body);
  return t;
}
async function refresh() {
  try {
    const accounts = await fetch('/_sandbox/retailcrm/screens').then((r) => r.json());
    const open = accounts.reduce((n, a) => n + a.managers.reduce((k, m) => k + m.popups.length, 0), 0);
    document.getElementById('status').textContent = accounts.length + ' accounts · ' + open + ' popups on screen';
    if (accounts.length === 0) return;
    document.getElementById('accounts').replaceChildren(...accounts.map((a) => {
      const s = el('section', 'account');
      s.dataset.account = a.account;
      const h = el('h2', '', 'RetailCRM account ' + a.account + ' ');
      h.append(el('small', '', a.managers.length + ' managers · ' + a.history.length + ' calls in history'));
      const managers = el('div', 'managers');
      managers.append(...a.managers.map(managerCard));
      s.append(h, managers, historyTable(a.history));
      return s;
    }));
  } catch (e) {
    document.getElementById('status').textContent = 'sandbox unreachable: ' + e;
  }
}
refresh();
setInterval(refresh, 1000);
</script></body></html>`;
}
