/**
 * The admin UI's stylesheet and its one script, served as files so the pages run under a strict CSP
 * (no inline script or style). The script posts the forms with the session's CSRF token, shows each
 * answer (RetailCRM's included) with textContent only, and moves an extension between managers in the
 * managers table the way the server will (the new owner takes it, the old one is left without).
 */

export const APP_CSS = `
:root { --fg:#1b1f24; --muted:#5b6570; --line:#d8dee4; --bg:#f6f8fa; --ok:#1a7f37; --bad:#cf222e; --accent:#1f6feb; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header.top { display:flex; align-items:center; gap:24px; padding:10px 24px; background:#fff; border-bottom:1px solid var(--line); position:sticky; top:0; }
.brand { display:flex; align-items:center; gap:10px; font-size:16px; }
.tabs { display:flex; gap:4px; }
.tabs a { padding:6px 12px; border-radius:6px; color:var(--fg); text-decoration:none; }
.tabs a.active { background:var(--accent); color:#fff; }
.who { margin-left:auto; display:flex; gap:12px; align-items:center; }
main { max-width:1100px; margin:24px auto; padding:0 16px; }
.card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:18px 22px; margin-bottom:20px; }
h1, h2 { margin:0 0 14px; font-size:19px; } h4 { margin:10px 0 4px; font-size:13px; color:var(--muted); }
.grid { display:grid; grid-template-columns:220px 1fr; gap:12px 16px; align-items:center; }
input[type=text], input[type=password], select, input[name=call], input[type=date] { font:inherit; padding:6px 8px; border:1px solid var(--line); border-radius:6px; min-width:0; }
.grid input[type=text], .grid input[type=password] { width:100%; }
.buttons { display:flex; gap:10px; margin-top:12px; }
button { font:inherit; padding:7px 14px; border-radius:6px; border:1px solid var(--line); background:#fff; cursor:pointer; }
button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
button.danger { color:var(--bad); border-color:var(--bad); }
button.link { border:0; background:none; color:var(--accent); padding:0; }
button[disabled] { opacity:.6; cursor:progress; }
.hint, .muted { color:var(--muted); font-size:13px; }
.facts { display:grid; grid-template-columns:260px 1fr; gap:6px 16px; margin:0 0 8px; } .facts dt { color:var(--muted); } .facts dd { margin:0; overflow-wrap:anywhere; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; background:#eaeef2; }
.badge.ok { background:#dafbe1; color:var(--ok); } .badge.bad { background:#ffebe9; color:var(--bad); } .badge.off { background:#eaeef2; color:var(--muted); }
.result { margin-top:14px; padding:12px 14px; border-radius:8px; border:1px solid var(--line); }
.result.ok { border-color:#4ac26b; background:#f0fff4; } .result.err { border-color:#ff8182; background:#fff5f5; }
.result .msg { margin:0 0 6px; font-weight:600; } .result .meta { color:var(--muted); font-size:13px; margin:0 0 6px; }
pre { background:#f6f8fa; border:1px solid var(--line); border-radius:6px; padding:10px; overflow:auto; max-height:420px; font-size:12.5px; }
.err { color:var(--bad); } .note { color:#9a6700; font-size:13px; }
table.list { width:100%; border-collapse:collapse; } table.list th, table.list td { text-align:left; padding:8px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
table.list th { font-size:13px; color:var(--muted); font-weight:600; }
tr.missing td { background:#fff8c5; }
ul.phones { columns:3; padding-left:18px; } ul.phones li.free { color:var(--ok); }
option.free { color:var(--ok); }
.filters { display:flex; flex-wrap:wrap; gap:10px 16px; align-items:center; margin-bottom:14px; }
.denied { max-width:640px; margin:60px auto; }
details summary { cursor:pointer; color:var(--accent); font-size:13px; }
`;

export const APP_JS = `"use strict";
(function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var base = location.pathname.replace(/(managers|logs)\\/?$/, '');
  if (base.charAt(base.length - 1) !== '/') base += '/';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function block(title, value, open) {
    var d = el('details');
    if (open) d.open = true;
    d.appendChild(el('summary', '', title));
    d.appendChild(el('pre', '', typeof value === 'string' ? value : JSON.stringify(value, null, 2)));
    return d;
  }
  function show(panel, data) {
    panel.hidden = false;
    panel.className = 'result ' + (data.ok ? 'ok' : 'err');
    panel.textContent = '';
    panel.appendChild(el('p', 'msg', data.message || ('HTTP ' + data.status)));
    if (data.details && data.details.length) {
      var ul = el('ul', 'details');
      data.details.forEach(function (t) { ul.appendChild(el('li', '', t)); });
      panel.appendChild(ul);
    }
    if (data.crm) {
      var parts = [data.crm.what];
      if (data.crm.httpStatus !== undefined) parts.push('HTTP ' + data.crm.httpStatus);
      if (data.crm.durationMs !== undefined) parts.push(data.crm.durationMs + ' мс');
      panel.appendChild(el('p', 'meta', parts.join(' · ')));
    }
    if (data.sent !== undefined) panel.appendChild(block('Отправлено в RetailCRM (integrationModule)', data.sent, true));
    if (data.crm && data.crm.answer !== undefined) panel.appendChild(block('Ответ RetailCRM', data.crm.answer, !data.ok));
    if (data.denied) {
      var a = el('a', '', 'Обновить страницу');
      a.href = location.href;
      panel.appendChild(a);
    }
  }
  function post(action, body, panel, button) {
    if (button) button.disabled = true;
    panel.hidden = false;
    panel.className = 'result';
    panel.textContent = 'Выполняется…';
    return fetch(base + action, {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false, message: 'HTTP ' + r.status }; }).then(function (d) { d.status = r.status; return d; });
    }, function (err) { return { ok: false, message: 'Нет связи с сервером: ' + err.message }; })
      .then(function (d) { show(panel, d); if (button) button.disabled = false; return d; });
  }
  function formBody(form) { return new URLSearchParams(new FormData(form)).toString(); }

  var connection = document.getElementById('connection');
  if (connection) {
    var cPanel = document.getElementById('connection-result');
    connection.addEventListener('submit', function (ev) {
      ev.preventDefault();
      post('api/connection', formBody(connection), cPanel, connection.querySelector('button[type=submit]')).then(function (d) {
        if (d.ok) connection.querySelector('#api_key').value = '';
      });
    });
    var test = document.getElementById('test');
    test.addEventListener('click', function () { post('api/test', formBody(connection), cPanel, test); });
  }

  var mPanel = document.getElementById('module-result');
  var register = document.getElementById('register');
  if (register) register.addEventListener('click', function () {
    post('api/register', '', mPanel, register).then(function (d) {
      if (d.ok) {
        document.getElementById('module-state').textContent = 'зарегистрирован';
        register.textContent = 'Обновить модуль';
      }
    });
  });
  var del = document.getElementById('delete');
  if (del) del.addEventListener('click', function () {
    if (!window.confirm(del.getAttribute('data-confirm'))) return;
    post('api/delete', '', mPanel, del).then(function () {
      document.getElementById('module-state').textContent = 'удалён (деактивирован)';
    });
  });

  var extForm = document.getElementById('extensions');
  if (extForm) {
    var model = JSON.parse(document.getElementById('managers-model').textContent);
    var names = {};
    model.rows.forEach(function (r) { names[r.userId] = r.name; });
    var selects = Array.prototype.slice.call(extForm.querySelectorAll('select[name^="ext["]'));
    var userOf = function (s) { return s.closest('tr').getAttribute('data-user'); };
    var noteOf = function (s) { return s.parentNode.querySelector('.row-note'); };
    var baseLabels = {};
    model.phones.forEach(function (p) { baseLabels[p.number] = p.label; });
    function relabel() {
      var holder = {};
      selects.forEach(function (s) { if (s.value) holder[s.value] = userOf(s); });
      selects.forEach(function (s) {
        Array.prototype.forEach.call(s.options, function (o) {
          if (!o.value || !baseLabels[o.value]) return;
          var h = holder[o.value];
          o.textContent = baseLabels[o.value] + (h && h !== userOf(s) ? ' · у менеджера ' + names[h] : '');
        });
      });
    }
    selects.forEach(function (s) {
      s.addEventListener('change', function () {
        selects.forEach(function (o) { var n = noteOf(o); n.hidden = true; n.textContent = ''; });
        if (s.value) {
          selects.forEach(function (o) {
            if (o !== s && o.value === s.value) {
              o.value = '';
              var n = noteOf(o);
              n.textContent = s.value + ' передан менеджеру ' + names[userOf(s)];
              n.hidden = false;
              var mine = noteOf(s);
              mine.textContent = 'был у ' + names[userOf(o)] + ' — после сохранения будет снят с него';
              mine.hidden = false;
            }
          });
        }
        relabel();
      });
    });
    relabel();
    extForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      post('api/extensions', formBody(extForm), document.getElementById('extensions-result'), document.getElementById('save-extensions'));
    });
  }
})();
`;
