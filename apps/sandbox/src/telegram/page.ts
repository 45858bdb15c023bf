/**
 * GET /telegram: every chat of the sandbox Telegram as a person would see it in a messenger. The page
 * polls the admin API each second, so messages appear, are replaced (delete + send) and edited live.
 * Inline buttons show under their message; pressing one sends the bot a callback query (as the user
 * of a private chat, or the user id typed in the header), and the bot's answer pops up as a notice.
 */
export function telegramPage(): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>sandbox Telegram</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:0;background:#e6ebee;color:#111}
header{background:#517da2;color:#fff;padding:.7rem 1.2rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header h1{font-size:1.1rem;margin:0}header a{color:#dbe9f5}
#status{font-size:.85rem;opacity:.9}
main{display:flex;gap:1rem;padding:1rem;overflow-x:auto;align-items:flex-start}
.chat{background:#fff;border-radius:8px;width:22rem;flex:0 0 auto;box-shadow:0 1px 2px #0002;display:flex;flex-direction:column;max-height:85vh}
.chat h2{font-size:.95rem;margin:0;padding:.6rem .8rem;border-bottom:1px solid #e3e3e3}
.chat h2 small{font-weight:normal;color:#777}
.msgs{padding:.6rem;overflow-y:auto;background:#d7e4c8;display:flex;flex-direction:column;gap:.4rem;flex:1;min-height:6rem}
.msg{background:#fff;border-radius:8px;padding:.45rem .6rem;white-space:pre-wrap;word-break:break-word;box-shadow:0 1px 1px #0001;align-self:flex-start;max-width:95%}
.msg time{display:block;text-align:right;font-size:.7rem;color:#8a8a8a;margin-top:.2rem}
.msg.new{animation:pop .6s ease-out}
@keyframes pop{from{background:#fff7b0;transform:scale(.96)}to{background:#fff;transform:none}}
.empty{color:#777;padding:2rem}
.kbd{display:flex;flex-direction:column;gap:.25rem;margin-top:.35rem}.kbd div{display:flex;gap:.25rem}
.kbd button{flex:1;border:0;border-radius:6px;background:#e9f1f8;color:#2b5e8c;padding:.35rem .5rem;font:inherit;cursor:pointer}
.kbd button:hover{background:#d6e6f3}
#notices{position:fixed;left:50%;bottom:1.5rem;transform:translateX(-50%);display:flex;flex-direction:column;gap:.4rem;align-items:center;z-index:5}
.notice{background:#333d;color:#fff;padding:.6rem 1rem;border-radius:8px;max-width:28rem;white-space:pre-wrap}
.notice.alert{background:#fff;color:#111;border:1px solid #bbb;box-shadow:0 4px 16px #0004}
header input{width:8rem}
</style></head><body>
<header><h1>Sandbox Telegram</h1><span id="status">loading…</span>
<label>press as user <input id="presser" placeholder="chat's user"></label>
<a href="/_sandbox/telegram/callbacks">presses JSON</a>
<a href="/_sandbox/telegram/chats">chats JSON</a><a href="/_sandbox/telegram/calls?limit=100">calls JSON</a><a href="/_sandbox/telegram/faults">faults</a><a href="/">sandbox</a></header>
<main id="chats"><p class="empty">No messages yet. Messages a bot sends to any chat appear here.</p></main>
<div id="notices" role="status"></div>
<script>
const seen = new Set();
let first = true;
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function time(iso) { return new Date(iso).toLocaleTimeString('ru-RU'); }
// The bot's answer to a press: a notice, or an alert (show_alert) that stays longer, as Telegram shows them.
function toast(text, alert) {
  const n = el('div', 'notice' + (alert ? ' alert' : ''), text);
  document.getElementById('notices').append(n);
  setTimeout(() => n.remove(), alert ? 10000 : 5000);
}
function keyboard(c, m) {
  const k = el('div', 'kbd');
  for (const row of m.reply_markup.inline_keyboard) {
    const r = el('div');
    for (const b of row) {
      const btn = el('button', '', b.text);
      if (b.callback_data) btn.onclick = () => press(c, m, b.callback_data);
      r.append(btn);
    }
    k.append(r);
  }
  return k;
}
async function press(c, m, data) {
  const who = document.getElementById('presser').value.trim();
  const res = await fetch('/_sandbox/telegram/press', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: c.chat_id, message_id: m.message_id, bot_id: c.bot_id, data, ...(who ? { from_id: who } : {}) }) });
  const body = await res.json();
  if (!res.ok) { toast('press refused: ' + body.error, true); return; }
  // The bot answers the press (answerCallbackQuery) within seconds; show it as Telegram would.
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const q = await fetch('/_sandbox/telegram/callbacks/' + body.id).then((r) => r.json());
    if (q.answer) { toast(q.answer.text || '(answered without text)', q.answer.showAlert); return; }
  }
  toast('the bot did not answer the press', true);
}
async function refresh() {
  try {
    const [chats, calls, faults] = await Promise.all([
      fetch('/_sandbox/telegram/chats').then((r) => r.json()),
      fetch('/_sandbox/telegram/calls?limit=1000').then((r) => r.json()),
      fetch('/_sandbox/telegram/faults').then((r) => r.json()),
    ]);
    const failed = calls.filter((c) => !c.ok).length;
    const on = Object.entries(faults).filter(([k, v]) => (Array.isArray(v) ? v.length > 0 : v > 0) && k !== 'retryAfterSec');
    document.getElementById('status').textContent = chats.length + ' chats · last ' + calls.length + ' calls, ' + failed + ' refused'
      + (on.length ? ' · faults: ' + on.map(([k, v]) => k + '=' + JSON.stringify(v)).join(' ') : '');
    const main = document.getElementById('chats');
    if (chats.length === 0) return;
    main.replaceChildren(...chats.sort((a, b) => a.chat_id - b.chat_id).map((c) => {
      const box = el('section', 'chat');
      const h = el('h2', '', 'chat ' + c.chat_id + ' ');
      h.append(el('small', '', 'bot ' + c.bot_id + ' · ' + c.messages.length + ' messages'));
      const list = el('div', 'msgs');
      for (const m of c.messages.sort((a, b) => a.message_id - b.message_id)) {
        const key = c.bot_id + ':' + c.chat_id + ':' + m.message_id + ':' + (m.edited_at || '');
        const bubble = el('div', 'msg' + (!first && !seen.has(key) ? ' new' : ''), m.text);
        bubble.dataset.messageId = m.message_id;
        bubble.append(el('time', '', (m.edited_at ? 'изменено ' + time(m.edited_at) : time(m.sent_at)) + ' · #' + m.message_id));
        if (m.reply_markup) bubble.append(keyboard(c, m));
        seen.add(key);
        list.append(bubble);
      }
      box.append(h, list);
      return box;
    }));
    for (const l of main.querySelectorAll('.msgs')) l.scrollTop = l.scrollHeight;
    first = false;
  } catch (e) {
    document.getElementById('status').textContent = 'sandbox unreachable: ' + e;
  }
}
refresh();
setInterval(refresh, 1000);
</script></body></html>`;
}
