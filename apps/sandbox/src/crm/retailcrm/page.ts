/**
 * GET /retailcrm: every sandbox RetailCRM account as its managers would see it. One card per
 * manager with the call popup on their screen now (opened by an in/out event naming them, closed by
 * the hangup), and the account's call history as calls/upload filled it. Polls the admin API each second.
 * A "call" button beside each customer and each call in the history does what RetailCRM's click-to-call
 * does: the sandbox GETs the telephony module's makeCallUrl (the gateway) and shows the answer.
 */
import { crmPageShell } from '../common/page.js';

export function retailCrmPage(): string {
  return crmPageShell({
    slug: 'retailcrm', title: 'RetailCRM', accent: '#2c3e66',
    hint: 'No account has been called yet. Point an integration\'s domain at http://<this server>/retailcrm/<account>.',
  }, {
    css: `header a{color:#cfe0ff}
.closed{font-size:.75rem;color:#99a}
button.call{border:0;border-radius:5px;background:#2e9c5a;color:#fff;padding:.15rem .55rem;cursor:pointer;font:inherit;font-size:.8rem}
button.call:disabled{background:#aab}
table.customers{border-collapse:collapse;background:#fff;margin-top:.8rem;box-shadow:0 1px 2px #0002}
table.customers td,table.customers th{padding:.3rem .6rem;border-bottom:1px solid #eceff3;text-align:left;font-size:.85rem}
.c2c{font-size:.8rem;color:#556;margin-top:.4rem}.c2c .bad{color:#b3261e}
#toast{position:fixed;left:50%;bottom:1.5rem;transform:translateX(-50%);background:#1d2430e6;color:#fff;padding:.6rem 1rem;border-radius:8px;display:none;max-width:34rem}`,
    beforeMain: '<div id="toast" role="status"></div>\n',
    script: `function popupBox(p) {
  const box = el('div', 'popup ' + p.type);
  box.dataset.call = p.callKey;
  box.append(el('b', '', (p.type === 'in' ? 'Incoming call ' : 'Outgoing call ') + p.phone));
  if (p.customerName) box.append(el('span', 'customer', p.customerName));
  box.append(el('span', 'meta', (p.externalPhone ? 'line ' + p.externalPhone + ' · ' : '') + 'on screen ' + since(p.openedAtMs)));
  return box;
}
function managerCard(m) {
  return managerSection({ user: m.userId, ...(m.code ? { code: m.code } : {}) }, m.name, m.code, m.popups.map(popupBox),
    m.recentlyClosed.length ? el('div', 'closed', 'closed: ' + m.recentlyClosed.map((c) => c.phone + (c.hangupStatus ? ' (' + c.hangupStatus + ')' : '')).join(', ')) : null);
}
let c2c = {};
function toast(text) {
  const t = document.getElementById('toast'); t.textContent = text; t.style.display = 'block';
  clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.style.display = 'none'; }, 6000);
}
function callButton(account, userId, phone) {
  const b = el('button', 'call', 'call');
  const info = c2c[account];
  b.disabled = !info || !info.target || !userId || !phone;
  b.title = info && info.target ? 'RetailCRM asks the telephony (' + info.target.url + ') to ring manager ' + userId + ', then ' + phone : 'no telephony module with a makeCallUrl in this account';
  b.onclick = async () => {
    b.disabled = true;
    try {
      const res = await fetch('/_sandbox/retailcrm/make-call', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account, userId, phone }) });
      const r = await res.json();
      toast(res.ok ? 'make-call → ' + r.status + ': ' + ((r.answer && (r.answer.message || r.answer.error)) || JSON.stringify(r.answer)) : 'not sent: ' + r.error);
    } finally { b.disabled = false; }
  };
  return b;
}
function customersTable(account) {
  const info = c2c[account];
  const t = el('table', 'customers');
  const head = el('tr');
  for (const c of ['customer', 'phone', 'manager', '']) head.append(el('th', '', c));
  t.append(head);
  for (const c of (info ? info.customers : [])) {
    const tr = el('tr');
    tr.dataset.customer = c.id;
    const m = info.managers.find((x) => x.userId === c.managerId);
    const td = el('td'); td.append(callButton(account, c.managerId, c.phone));
    tr.append(el('td', '', c.name), el('td', '', c.phone || '—'), el('td', '', m ? m.name : '—'), td);
    t.append(tr);
  }
  return t;
}
function c2cLog(account) {
  const info = c2c[account];
  const box = el('div', 'c2c');
  if (!info) return box;
  box.append(el('span', '', info.target ? 'click-to-call → ' + info.target.url + ' (clientId ' + info.target.clientId + ')' : 'click-to-call: no telephony module registered'));
  for (const c of info.calls.slice(0, 5)) {
    const ok = c.status === 200;
    box.append(el('div', ok ? '' : 'bad', c.at.slice(11, 19) + ' user ' + c.userId + (c.code ? ' (code ' + c.code + ')' : '') + ' → ' + c.phone + ': ' + c.status + ' ' + ((c.answer && (c.answer.message || c.answer.error)) || '')));
  }
  return box;
}
function historyTable(rows, account) {
  const t = el('table', 'history');
  const head = el('tr');
  for (const c of ['date (host)', 'type', 'phone', 'manager', 'result', 'duration', 'record', 'call id', '']) head.append(el('th', '', c));
  const thead = el('thead'); thead.append(head);
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    tr.dataset.externalId = r.externalId;
    const rec = el('td');
    if (r.recordUrl) { const a = el('a', '', 'listen'); a.href = r.recordUrl; rec.append(a); }
    tr.append(el('td', '', r.date), el('td', 'type', r.type), el('td', '', r.phone), el('td', 'manager', r.managerName || r.code || '—'),
      el('td', 'result', r.result), el('td', 'duration', r.duration === undefined ? '' : r.duration + ' s'), rec, el('td', '', r.externalId));
    const call = el('td'); call.append(callButton(account, r.userId, r.phone)); tr.append(call);
    body.append(tr);
  }
  t.append(thead, body);
  return t;
}
async function load() {
  const [accounts, calls] = await Promise.all([fetch('/_sandbox/retailcrm/screens').then((r) => r.json()), fetch('/_sandbox/retailcrm/click-to-call').then((r) => r.json())]);
  c2c = Object.fromEntries(calls.map((c) => [c.account, c]));
  return accounts;
}
const extra = (a) => [customersTable(a.account), c2cLog(a.account), historyTable(a.history, a.account)];`,
  });
}
