/** The admin UI's page frame (header, tabs, who is signed in) and the HTML escaping every page uses. Pure. */
import { ADMIN_PATH } from './moduleSpec.js';

export const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const pretty = (v: unknown): string => esc(JSON.stringify(v, null, 2));

export type Tab = 'connection' | 'managers' | 'logs';

export interface Frame {
  title: string;
  enterprise?: { number: string; name: string };
  tab?: Tab;
  /** Who is signed in, in words ("по ссылке из RetailCRM", "оператор"). */
  who?: string;
  csrf?: string;
}

const TABS: [Tab, string, string][] = [['connection', 'Подключение', ''], ['managers', 'Менеджеры', 'managers'], ['logs', 'Журнал', 'logs']];

export function page(f: Frame, body: string): string {
  const e = f.enterprise;
  const base = e ? `${ADMIN_PATH}/${encodeURIComponent(e.number)}/` : `${ADMIN_PATH}/`;
  const nav = e ? `<nav class="tabs">${TABS.map(([t, label, path]) => `<a href="${base}${path}"${t === f.tab ? ' class="active" aria-current="page"' : ''} data-tab="${t}">${label}</a>`).join('')}</nav>` : '';
  const logout = f.csrf ? `<form method="post" action="${ADMIN_PATH}/logout" class="logout"><input type="hidden" name="_csrf" value="${esc(f.csrf)}"><button type="submit" class="link">Выйти</button></form>` : '';
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${f.csrf ? `<meta name="csrf-token" content="${esc(f.csrf)}">` : ''}
<title>${esc(f.title)}</title>
<link rel="icon" href="${ADMIN_PATH}/logo.svg" type="image/svg+xml">
<link rel="stylesheet" href="${ADMIN_PATH}/app.css">
<script src="${ADMIN_PATH}/app.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand"><img src="${ADMIN_PATH}/logo.svg" alt="" width="28" height="28"><span>RetailCRM${e ? ` — <b id="enterprise-name">${esc(e.name)}</b> <span class="muted">(${esc(e.number)})</span>` : ''}</span></div>
  ${nav}
  <div class="who">${f.who ? `<span class="muted">${esc(f.who)}</span>` : ''}${logout}</div>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A result panel the page's script fills after an action. */
export const resultPanel = (id: string): string => `<div class="result" id="${id}" role="status" aria-live="polite" hidden></div>`;
