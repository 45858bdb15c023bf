/**
 * The page of a sandbox CRM (MoySklad, U-ON, Bitrix24): every account as its managers would see it —
 * one card per manager with the popups on their screen now, and the account's call history. It polls
 * the CRM's screens JSON each second, so popups appear and close live during the demo.
 */

export interface PageLabels {
  /** retailcrm | moysklad | uon | bitrix24: the admin API lives under /_sandbox/<slug>. */
  slug: string;
  title: string;
  /** Header colour. */
  accent: string;
  /** What to point an integration at, shown while nothing has called. */
  hint: string;
}

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c] ?? c));

/** What a CRM page adds to the shell: its own styles, what stands above the accounts, its script. */
export interface PageParts {
  css: string;
  /** HTML between the header and the accounts (a toast, say). */
  beforeMain?: string;
  /**
   * Runs after the shell's helpers (el, since, managerSection); defines load() (the accounts' screens
   * JSON), managerCard(m), and extra(a): what stands in an account's section after its managers.
   */
  script: string;
}

/**
 * The page every sandbox CRM shows (RetailCRM's too): the head with the shared styles, the header with
 * the admin links and #status, the accounts' <main> with the hint, and the polling of refresh().
 */
export function crmPageShell(l: PageLabels, parts: PageParts): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sandbox ${esc(l.title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:0;background:#f3f5f8;color:#1d2430}
header{background:${esc(l.accent)};color:#fff;padding:.7rem 1.2rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header h1{font-size:1.1rem;margin:0}
#status{font-size:.85rem;opacity:.9}
main{padding:1rem;display:flex;flex-direction:column;gap:1.5rem}
.account h2{font-size:1rem;margin:0 0 .6rem}.account h2 small{font-weight:normal;color:#667}
.managers{display:flex;gap:.8rem;flex-wrap:wrap}
section.manager{background:#fff;border-radius:8px;box-shadow:0 1px 2px #0002;width:17rem;padding:.6rem .7rem;min-height:7rem}
section.manager h3{font-size:.9rem;margin:0 0 .5rem}section.manager h3 small{color:#778;font-weight:normal}
.screen{display:flex;flex-direction:column;gap:.4rem}
.popup{border-left:4px solid #2e9c5a;background:#eaf7ef;border-radius:6px;padding:.45rem .55rem;animation:pop .5s ease-out}
.popup.out{border-color:#2f6fd6;background:#eaf1fd}
.popup b{display:block}.popup .meta{font-size:.8rem;color:#556}
.idle{color:#99a;font-size:.85rem}
@keyframes pop{from{transform:scale(.95);background:#fff7b0}to{transform:none}}
table.history{border-collapse:collapse;background:#fff;margin-top:.8rem;width:100%;max-width:70rem;box-shadow:0 1px 2px #0002}
table.history th,table.history td{padding:.3rem .6rem;border-bottom:1px solid #eceff3;text-align:left;font-size:.85rem}
.empty{color:#778;padding:2rem}
${parts.css}
</style></head><body>
<header><h1>Sandbox ${esc(l.title)}</h1><span id="status">loading…</span>
<a href="/_sandbox/${l.slug}/screens">screens JSON</a><a href="/_sandbox/${l.slug}/requests?limit=100">requests JSON</a><a href="/_sandbox/${l.slug}/faults">faults</a><a href="/">sandbox</a></header>
${parts.beforeMain ?? ''}<main id="accounts"><p class="empty">${esc(l.hint)}</p></main>
<script>
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function since(ms) { const s = Math.max(0, Math.round((Date.now() - ms) / 1000)); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); }
const TITLE = ${JSON.stringify(l.title)};
function managerSection(data, name, ext, boxes, closed) {
  const card = el('section', 'manager');
  Object.assign(card.dataset, data);
  const h = el('h3', '', name + ' ');
  h.append(el('small', '', ext ? 'ext ' + ext : 'no extension'));
  const screen = el('div', 'screen');
  if (boxes.length === 0) screen.append(el('span', 'idle', 'no call on screen'));
  screen.append(...boxes);
  card.append(h, screen);
  if (closed) card.append(closed);
  return card;
}
${parts.script}
async function refresh() {
  try {
    const accounts = await load();
    const open = accounts.reduce((n, a) => n + a.managers.reduce((k, m) => k + m.popups.length, 0), 0);
    document.getElementById('status').textContent = accounts.length + ' accounts · ' + open + ' popups on screen';
    if (accounts.length === 0) return;
    document.getElementById('accounts').replaceChildren(...accounts.map((a) => {
      const s = el('section', 'account');
      s.dataset.account = a.account;
      const h = el('h2', '', TITLE + ' account ' + a.account + ' ');
      h.append(el('small', '', a.managers.length + ' managers · ' + a.history.length + ' calls in history'));
      const managers = el('div', 'managers');
      managers.append(...a.managers.map(managerCard));
      s.append(h, managers, ...extra(a));
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

export function crmPage(l: PageLabels): string {
  return crmPageShell(l, {
    css: `header a{color:#fff;opacity:.85}
.popup .meta{display:block}
.recent{font-size:.75rem;color:#99a;margin-top:.4rem}`,
    script: `const SLUG = ${JSON.stringify(l.slug)};
function popupBox(p) {
  const box = el('div', 'popup ' + p.direction);
  box.dataset.call = p.key;
  box.append(el('b', '', p.title));
  if (p.detail) box.append(el('span', 'meta detail', p.detail));
  box.append(el('span', 'meta', 'on screen ' + since(p.sinceMs)));
  return box;
}
function managerCard(m) {
  return managerSection({ manager: m.id, ...(m.extension ? { ext: m.extension } : {}) }, m.name, m.extension, m.popups.map(popupBox),
    m.recent.length ? el('div', 'recent', 'closed: ' + m.recent.join(', ')) : null);
}
function historyTable(rows) {
  const t = el('table', 'history');
  const head = el('tr');
  for (const c of ['date (host)', 'direction', 'phone', 'manager', 'result', 'duration', 'record', 'call']) head.append(el('th', '', c));
  const thead = el('thead'); thead.append(head);
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    tr.dataset.call = r.key;
    const rec = el('td', 'record');
    if (r.recordUrl) { const a = el('a', '', 'listen'); a.href = r.recordUrl; rec.append(a); }
    tr.append(el('td', '', r.date), el('td', 'direction', r.direction), el('td', 'phone', r.phone), el('td', 'manager', r.manager || '—'),
      el('td', 'result', r.result), el('td', 'duration', r.durationSec === undefined ? '' : r.durationSec + ' s'), rec, el('td', '', r.key));
    body.append(tr);
  }
  t.append(thead, body);
  return t;
}
const load = () => fetch('/_sandbox/' + SLUG + '/screens').then((r) => r.json());
const extra = (a) => [historyTable(a.history)];`,
  });
}
