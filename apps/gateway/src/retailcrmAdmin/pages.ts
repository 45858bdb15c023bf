/**
 * The admin UI's pages, rendered from plain view models: connection and module, managers and their
 * extensions, the integration log, the operator's list of enterprises, and the refusal page. Secrets
 * never reach them (the API key arrives masked). Pure.
 */
import type { CrmCallResult, RetailCrmUser } from './crmCalls.js';
import type { AdditionalCode, UserExtensions } from './extensions.js';
import { esc, page, pretty, resultPanel, type Frame } from './layout.js';
import { ADMIN_PATH } from './moduleSpec.js';
import type { InternalPhone, LogFilter, LogRow } from './store.js';
import type { Denial } from './tokens.js';

export interface ConnectionView {
  frame: Frame;
  domain: string;
  /** "••••3f9a" or null when no key is stored. */
  maskedKey: string | null;
  enabled: boolean;
  moduleCode: string;
  /** ISO times; null when the module was never registered (or was deleted). */
  registeredAt: string | null;
  linkExpiresAt: string | null;
  moduleActive: boolean;
  urls: { baseUrl: string; makeCallUrl: string; changeUserStatusUrl: string; accountUrl: string };
  lastSync: string | null;
  /** The last module registration as integration_logs has it. */
  lastRegistration: LogRow | null;
}

/** "2026-12-01 21:46 UTC" from an ISO time. */
const when = (iso: string): string => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

export function connectionPage(v: ConnectionView): string {
  const registered = v.registeredAt && v.moduleActive;
  return page(v.frame, `
<section class="card">
  <h2>Подключение к RetailCRM</h2>
  <form id="connection" class="grid" autocomplete="off" data-action="api/connection">
    <label for="domain">Адрес аккаунта</label>
    <input id="domain" name="domain" type="text" inputmode="url" placeholder="https://example.retailcrm.ru" value="${esc(v.domain)}" required>
    <label for="api_key">API-ключ</label>
    <div><input id="api_key" name="api_key" type="password" placeholder="${v.maskedKey ? `сохранён: ${esc(v.maskedKey)} — оставьте пустым, чтобы не менять` : 'не задан'}" autocomplete="new-password">
      <div class="hint">Ключ хранится у нас и никогда не показывается полностью${v.maskedKey ? `: <code id="masked-key">${esc(v.maskedKey)}</code>` : ''}.</div></div>
    <label for="enabled">Интеграция включена</label>
    <div><input id="enabled" name="enabled" type="checkbox" value="1"${v.enabled ? ' checked' : ''}> <span class="hint">события звонков уходят в RetailCRM</span></div>
    <div></div>
    <div class="buttons">
      <button type="submit" class="primary">Сохранить</button>
      <button type="button" id="test" data-action="api/test">Проверить подключение</button>
    </div>
  </form>
  ${resultPanel('connection-result')}
</section>

<section class="card">
  <h2>Модуль телефонии в RetailCRM</h2>
  <dl class="facts">
    <dt>Состояние</dt><dd id="module-state">${registered ? `<span class="badge ok">зарегистрирован</span> ${esc(when(v.registeredAt ?? ''))}` : v.registeredAt ? '<span class="badge off">удалён (деактивирован)</span>' : '<span class="badge off">не зарегистрирован</span>'}</dd>
    <dt>Код модуля</dt><dd><code>${esc(v.moduleCode)}</code></dd>
    <dt>Ссылка «Перейти в личный кабинет»</dt><dd>${v.linkExpiresAt ? `действует до ${esc(when(v.linkExpiresAt))}; новая регистрация выдаёт новую и отзывает старую` : 'не выдана'}</dd>
    <dt>Добавочные отправлены</dt><dd id="last-sync">${v.lastSync ? esc(when(v.lastSync)) : '—'}</dd>
    <dt>baseUrl</dt><dd><code>${esc(v.urls.baseUrl)}</code></dd>
    <dt>makeCallUrl</dt><dd><code>${esc(v.urls.makeCallUrl)}</code></dd>
    <dt>changeUserStatusUrl</dt><dd><code>${esc(v.urls.changeUserStatusUrl)}</code></dd>
    <dt>accountUrl</dt><dd><code>${esc(v.urls.accountUrl)}</code><span class="hint"> + подписанный токен</span></dd>
  </dl>
  <div class="buttons">
    <button type="button" id="register" class="primary" data-action="api/register">${registered ? 'Обновить модуль' : 'Зарегистрировать модуль'}</button>
    <button type="button" id="delete" class="danger" data-action="api/delete" data-confirm="Удалить интеграцию? Модуль в RetailCRM будет деактивирован, события перестанут уходить, ссылка из RetailCRM перестанет работать.">Удалить интеграцию</button>
  </div>
  ${resultPanel('module-result')}
  ${v.lastRegistration ? `<details class="last"><summary>Последняя регистрация: ${esc(when(v.lastRegistration.created_at.toISOString()))} — ${esc(v.lastRegistration.status)}${v.lastRegistration.http_status ? `, HTTP ${v.lastRegistration.http_status}` : ''}</summary>
    <h4>Отправлено</h4><pre>${pretty(moduleBodyOf(v.lastRegistration.request_data))}</pre><h4>Ответ RetailCRM</h4><pre>${pretty(v.lastRegistration.response_data)}</pre>
    ${v.lastRegistration.error_message ? `<p class="err">${esc(v.lastRegistration.error_message)}</p>` : ''}</details>` : ''}
</section>`);
}

/** The integrationModule form field of a logged edit request, parsed (it travels as a JSON string). */
export function moduleBodyOf(request: unknown): unknown {
  const form = (request as { form?: Record<string, string> } | null)?.form;
  if (!form?.integrationModule) return request;
  try {
    return JSON.parse(form.integrationModule) as unknown;
  } catch {
    return form.integrationModule;
  }
}

/** A logged request with its integrationModule field shown as the object it encodes. */
export function readableRequest(request: unknown): unknown {
  const body = moduleBodyOf(request);
  return body === request ? request : { ...(request as object), form: { integrationModule: body } };
}

export interface ManagerRow {
  userId: string;
  name: string;
  email: string;
  active: boolean;
  /** Not in RetailCRM's user list (deleted there) but still mapped here. */
  missing: boolean;
}

export interface ManagersView {
  frame: Frame;
  /** Why RetailCRM's users could not be read (its words), when they could not. */
  problem: CrmCallResult | string | null;
  rows: ManagerRow[];
  phones: InternalPhone[];
  mapping: UserExtensions;
  imported: AdditionalCode[];
  registered: boolean;
}

export function managerRows(users: readonly RetailCrmUser[], mapping: UserExtensions): ManagerRow[] {
  const rows: ManagerRow[] = users.map((u) => ({ userId: String(u.id), name: u.name, email: u.email, active: u.active, missing: false }));
  const shown = new Set(rows.map((r) => r.userId));
  for (const [id, ext] of Object.entries(mapping)) {
    if (ext && !shown.has(id)) rows.push({ userId: id, name: `пользователь ${id}`, email: '', active: false, missing: true });
  }
  return rows.sort((a, b) => Number(a.userId) - Number(b.userId));
}

/** JSON inside a <script> element: not HTML-decoded there, so only what could end the element is escaped. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** "150 (Джулай Джуновый)" for a number a PBX user owns, "151 (свободен)" for a free one. */
export const phoneLabel = (p: InternalPhone): string => `${p.number} (${p.owner ?? 'свободен'})`;

export function managersPage(v: ManagersView): string {
  const known = new Set(v.phones.map((p) => p.number));
  const model = {
    phones: v.phones.map((p) => ({ number: p.number, label: phoneLabel(p), free: p.owner === null })),
    rows: v.rows.map((r) => ({ userId: r.userId, name: r.name, extension: v.mapping[r.userId] ?? '' })),
  };
  const options = (current: string): string => {
    const list = [`<option value="">— не назначен —</option>`];
    if (current && !known.has(current)) list.push(`<option value="${esc(current)}" selected>${esc(current)} (нет среди внутренних номеров)</option>`);
    for (const p of v.phones) list.push(`<option value="${esc(p.number)}"${p.number === current ? ' selected' : ''} class="${p.owner ? 'taken' : 'free'}">${esc(phoneLabel(p))}</option>`);
    return list.join('');
  };
  const problem = v.problem === null ? '' : typeof v.problem === 'string'
    ? `<p class="err" id="users-problem">${esc(v.problem)}</p>`
    : `<div class="err" id="users-problem"><p>RetailCRM не отдал список пользователей: ${esc(v.problem.message)}${v.problem.httpStatus ? ` (HTTP ${v.problem.httpStatus})` : ''}</p>${v.problem.answer === undefined ? '' : `<pre>${pretty(v.problem.answer)}</pre>`}</div>`;
  const imported = v.imported.length
    ? `<p class="note" id="imported">Из RetailCRM импортированы назначения, которых у нас не было: ${v.imported.map((c) => `${esc(c.userId)} → ${esc(c.code)}`).join(', ')}.</p>` : '';
  const body = v.rows.map((r) => `<tr data-user="${esc(r.userId)}"${r.missing ? ' class="missing"' : ''}>
    <td><b>${esc(r.name)}</b>${r.active ? '' : r.missing ? ' <span class="badge off">нет в RetailCRM</span>' : ' <span class="badge off">неактивен</span>'}<div class="muted">id ${esc(r.userId)}${r.email ? ` · ${esc(r.email)}` : ''}</div></td>
    <td><select name="ext[${esc(r.userId)}]" aria-label="Добавочный для ${esc(r.name)}">${options(v.mapping[r.userId] ?? '')}</select><div class="note row-note" hidden></div></td>
  </tr>`).join('\n');
  return page(v.frame, `
<section class="card">
  <h2>Менеджеры RetailCRM и их добавочные</h2>
  <p class="hint">Один внутренний номер — один менеджер. Выбор номера, который уже у другого менеджера, снимает его с прежнего владельца. После сохранения назначения уходят в RetailCRM (<code>integrations.telephony.additionalCodes</code>)${v.registered ? '' : ' — <b>после регистрации модуля</b> на вкладке «Подключение»'}.</p>
  ${problem}${imported}
  <script type="application/json" id="managers-model">${scriptJson(model)}</script>
  <form id="extensions" data-action="api/extensions">
  <table class="list" id="managers">
    <thead><tr><th>Менеджер</th><th>Добавочный номер</th></tr></thead>
    <tbody>${body || '<tr><td colspan="2" class="muted">Нет пользователей</td></tr>'}</tbody>
  </table>
  <div class="buttons"><button type="submit" class="primary" id="save-extensions">Сохранить</button></div>
  </form>
  ${resultPanel('extensions-result')}
</section>
<section class="card">
  <h2>Внутренние номера предприятия</h2>
  <ul class="phones" id="phones">${v.phones.map((p) => `<li class="${p.owner ? 'taken' : 'free'}">${esc(phoneLabel(p))}</li>`).join('') || '<li class="muted">в user_internal_phones нет номеров этого предприятия</li>'}</ul>
</section>`);
}

export interface LogsView {
  frame: Frame;
  filter: LogFilter;
  facets: { integrations: string[]; events: string[]; statuses: string[] };
  rows: LogRow[];
  /** The query string of the next (older) page, when there may be one. */
  older: string | null;
}

const dateInput = (d: Date | undefined): string => (d ? d.toISOString().slice(0, 10) : '');

export function logsPage(v: LogsView): string {
  const f = v.filter;
  const select = (name: string, label: string, values: string[], current: string | undefined, all: string): string =>
    `<label>${label} <select name="${name}"><option value="">${all}</option>${values.map((x) => `<option${x === current ? ' selected' : ''}>${esc(x)}</option>`).join('')}</select></label>`;
  const rows = v.rows.map((r) => `<tr data-status="${esc(r.status)}" data-event="${esc(r.event_type)}">
    <td><time datetime="${esc(r.created_at.toISOString())}">${esc(r.created_at.toISOString().replace('T', ' ').slice(0, 19))}</time></td>
    <td>${esc(r.integration_type)}</td><td>${esc(r.event_type)}</td>
    <td><span class="badge ${r.status === 'success' ? 'ok' : 'bad'}">${esc(r.status)}</span></td>
    <td>${r.http_status ?? '—'}</td><td>${r.duration_ms === null ? '—' : `${r.duration_ms} мс`}</td>
    <td>${r.call_unique_id ? `<code>${esc(r.call_unique_id)}</code>` : '—'}</td>
    <td>${r.error_message ? `<span class="err">${esc(r.error_message)}</span>` : ''}
      <details><summary>запрос и ответ</summary><h4>Запрос</h4><pre>${pretty(readableRequest(r.request_data))}</pre><h4>Ответ</h4><pre>${pretty(r.response_data)}</pre></details></td>
  </tr>`).join('\n');
  return page(v.frame, `
<section class="card">
  <h2>Журнал интеграции</h2>
  <form method="get" class="filters" id="log-filters">
    ${select('integration', 'Интеграция', v.facets.integrations, f.integration, 'все')}
    ${select('event', 'Событие', v.facets.events, f.event, 'все')}
    ${select('status', 'Статус', v.facets.statuses, f.status, 'все')}
    <label>Звонок <input name="call" value="${esc(f.call ?? '')}" placeholder="UniqueId" size="18"></label>
    <label>С <input type="date" name="from" value="${dateInput(f.from)}"></label>
    <label>По <input type="date" name="to" value="${f.to ? dateInput(new Date(f.to.getTime() - 86_400_000)) : ''}"></label>
    <button type="submit">Показать</button> <a href="?">сбросить</a>
  </form>
  <table class="list" id="logs">
    <thead><tr><th>Время (UTC)</th><th>Интеграция</th><th>Событие</th><th>Статус</th><th>HTTP</th><th>Длительность</th><th>Звонок</th><th>Ошибка / детали</th></tr></thead>
    <tbody>${rows || '<tr><td colspan="8" class="muted">Записей нет</td></tr>'}</tbody>
  </table>
  ${v.older ? `<p><a id="older" href="?${esc(v.older)}">Более ранние →</a></p>` : ''}
</section>`);
}

export function enterprisesPage(frame: Frame, list: { number: string; name: string; retailcrm: boolean }[]): string {
  return page(frame, `
<section class="card">
  <h2>Предприятия</h2>
  <table class="list" id="enterprises"><thead><tr><th>Номер</th><th>Название</th><th>RetailCRM</th></tr></thead><tbody>
  ${list.map((e) => `<tr><td><a href="${ADMIN_PATH}/${encodeURIComponent(e.number)}/">${esc(e.number)}</a></td><td>${esc(e.name)}</td><td>${e.retailcrm ? '<span class="badge ok">включена</span>' : '<span class="badge off">выключена</span>'}</td></tr>`).join('\n')}
  </tbody></table>
</section>`);
}

const DENIALS: Record<Denial, [string, string]> = {
  'no-session': ['Нужен вход', 'Откройте эту страницу кнопкой «Перейти в личный кабинет» в модуле телефонии RetailCRM или войдите как оператор.'],
  expired: ['Срок действия ссылки истёк', 'Ссылка (или сессия) устарела. Откройте страницу заново из RetailCRM; если не поможет — зарегистрируйте модуль заново, чтобы RetailCRM получил новую ссылку.'],
  invalid: ['Ссылка недействительна', 'Подпись ссылки не сходится: её изменили или она выдана не этим сервером. Откройте страницу заново из RetailCRM.'],
  revoked: ['Ссылка отозвана', 'Интеграция удалена или модуль зарегистрирован заново — старые ссылки больше не действуют. Откройте страницу заново из RetailCRM.'],
  'other-enterprise': ['Нет доступа к этому предприятию', 'Ваша ссылка выдана для другого предприятия. Каждое предприятие открывается только своей ссылкой из своего RetailCRM.'],
};

export const denialStatus = (d: Denial): number => (d === 'other-enterprise' ? 403 : 401);
export const denialText = (d: Denial): string => `${DENIALS[d][0]}. ${DENIALS[d][1]}`;

export function deniedPage(d: Denial): string {
  const [title, text] = DENIALS[d];
  return page({ title }, `
<section class="card denied" data-denial="${d}">
  <h1>${esc(title)}</h1>
  <p>${esc(text)}</p>
  <p class="muted">Оператор может <a href="${ADMIN_PATH}/login">войти с логином администратора</a>.</p>
</section>`);
}
