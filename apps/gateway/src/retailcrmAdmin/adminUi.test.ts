/**
 * The RetailCRM admin UI in a real browser (Debian chromium) against the sandbox RetailCRM, real
 * PostgreSQL and Redis: an operator registers the module, a manager opens the accountUrl RetailCRM
 * received, tests the connection, assigns and reassigns extensions (the sandbox receives the
 * additionalCodes), re-registers (the old link is revoked), and links of another enterprise, expired,
 * tampered and revoked ones are refused.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import got from 'got';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { RetailCrmSandbox, retailCrmAdminRoutes, retailCrmApiRoutes } from '../../../sandbox/src/crm/retailcrm/index.js';
import { chromiumLaunch } from '../../../../test/support/browser.js';
import { freePort, listen } from '../../../../test/support/listen.js';
import { testConfig, testLogger, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { createGateway, type Gateway } from '../gateway.js';
import { signLink } from './tokens.js';

const SECRET = 'test-secret-of-the-retailcrm-admin-0123456789';
const CODE = 'callpipe-test-telephony';
const API_KEY = 'rc-key-7f3c9a12b8e44d21';
/** Screenshots of each page land here (git-ignored) for a look by eye. */
const varDir = fileURLToPath(new URL('../../../../var/', import.meta.url));
const shot = async (p: Page, name: string): Promise<void> => {
  mkdirSync(varDir, { recursive: true });
  await p.screenshot({ path: join(varDir, `retailcrm-admin-${name}.png`), fullPage: true });
};

interface RecordedModule { params: { integrationModule: Record<string, unknown> }; status: number }

describe('RetailCRM admin UI in a real browser (Debian chromium)', () => {
  const A = uniqueEnterprise();
  const B = uniqueEnterprise();
  const account = `adm${A.number.slice(1)}`;
  const retailcrm = new RetailCrmSandbox();
  let sandboxBase = '';
  let closeSandbox: () => Promise<void>;
  let base = '';
  let server: Server;
  let gateway: Gateway;
  let browser: Browser;
  let operator: BrowserContext;
  let manager: BrowserContext;
  let page: Page;
  let firstLink = '';
  const pageErrors: string[] = [];
  let config: ReturnType<typeof testConfig>;
  let dbHandle: ReturnType<typeof createDb>;

  const moduleEdits = async (): Promise<RecordedModule[]> => got(`${sandboxBase}/_sandbox/retailcrm/requests`, { searchParams: { account, path: `integration-modules/${CODE}/edit` } }).json<RecordedModule[]>();
  const lastModule = async (): Promise<Record<string, unknown>> => {
    const list = await moduleEdits();
    return list[list.length - 1]!.params.integrationModule;
  };
  const telephony = (m: Record<string, unknown>) => (m.integrations as { telephony: Record<string, unknown> }).telephony;
  const stored = async (number: string): Promise<Record<string, unknown>> => {
    const row = await dbHandle.selectFrom('enterprises').select('integrations_config').where('number', '=', number).executeTakeFirstOrThrow();
    return (row.integrations_config as { retailcrm: Record<string, unknown> }).retailcrm;
  };

  beforeAll(async () => {
    const sandboxApp = express();
    sandboxApp.use(retailCrmApiRoutes(retailcrm));
    sandboxApp.use(retailCrmAdminRoutes(retailcrm));
    ({ base: sandboxBase, close: closeSandbox } = await listen(sandboxApp));
    retailcrm.setup({
      name: account, apiKey: API_KEY,
      users: [{ id: 18, firstName: 'Олег', lastName: 'Ким' }, { id: 19, firstName: 'Анна', lastName: 'Смирнова' }, { id: 22, firstName: 'Ирина', lastName: 'Лис' }],
    });
    // A module registered earlier (by the old system) already maps user 22 to 152: imported on first load.
    await got.post(`${sandboxBase}/retailcrm/${account}/api/v5/integration-modules/${CODE}/edit`, {
      headers: { 'X-API-KEY': API_KEY },
      form: { integrationModule: JSON.stringify({ code: CODE, integrationCode: CODE, name: 'old', baseUrl: 'https://old.example', clientId: A.number, active: true, integrations: { telephony: { additionalCodes: [{ userId: 22, code: '152' }] } } }) },
    });

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    config = testConfig({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 'night-shift', PUBLIC_BASE_URL: base, RETAILCRM_ADMIN_SECRET: SECRET, RETAILCRM_MODULE_CODE: CODE });
    dbHandle = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'retailcrm-admin-test' }));
    for (const e of [A, B]) {
      await dbHandle.insertInto('enterprises').values({
        number: e.number, name: e.name, name2: e.token, active: true,
        integrations_config: JSON.stringify({ retailcrm: { enabled: true, domain: `${sandboxBase}/retailcrm/${e === A ? account : 'other'}`, api_key: API_KEY } }),
      }).execute();
    }
    for (const [ext, first, last] of [['150', 'Джулай', 'Джуновый'], ['151', 'Тимур', 'Тимлидовый'], ['152', null, null]] as const) {
      const user = first ? await dbHandle.insertInto('users').values({ enterprise_number: A.number, first_name: first, last_name: last }).returning('id').executeTakeFirstOrThrow() : null;
      await dbHandle.insertInto('user_internal_phones').values({ enterprise_number: A.number, phone_number: ext, user_id: user?.id ?? null }).execute();
    }
    gateway = createGateway(config, testLogger());
    await gateway.start();
    server = createServer(gateway.app);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    browser = await chromium.launch(chromiumLaunch);
    operator = await browser.newContext({ httpCredentials: { username: 'ops', password: 'night-shift' }, viewport: { width: 1280, height: 900 } });
    manager = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await gateway?.stop();
    await closeSandbox?.();
    await dbHandle?.destroy();
  });

  it('an operator signs in, the first managers view imports the code only RetailCRM had, and registering sends the whole module', async () => {
    const op = await operator.newPage();
    expect((await op.goto(`${base}/retailcrm-admin/login`))?.status()).toBe(200);
    await op.click(`#enterprises a:text-is("${A.number}")`);
    await op.click('nav.tabs a[data-tab="managers"]');
    expect(await op.locator('#imported').innerText()).toContain('22 → 152');
    expect((await stored(A.number)).user_extensions).toEqual({ 22: '152' });

    await op.click('nav.tabs a[data-tab="connection"]');
    await op.click('#register');
    await op.locator('#module-result.ok').waitFor();
    const shown = await op.locator('#module-result').innerText();
    expect(shown).toContain(`Модуль ${CODE} обновлён`);
    expect(shown).toContain('HTTP 200');
    // What the page shows as sent: the body, its accountUrl token masked.
    expect(shown).toContain('"makeCallUrl"');
    expect(shown).toMatch(/token=\*\*\*/);

    const m = await lastModule();
    firstLink = String(m.accountUrl);
    expect(m).toMatchObject({
      code: CODE, integrationCode: CODE, active: true, name: 'Callpipe telephony', clientId: A.number, baseUrl: base,
      logo: `${base}/retailcrm-admin/logo.svg`,
    });
    expect(firstLink).toMatch(new RegExp(`^${base}/retailcrm-admin/\\?enterprise_number=${A.number}&token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(telephony(m)).toEqual({
      makeCallUrl: `${base}/retailcrm/make-call`, changeUserStatusUrl: `${base}/retailcrm/status`, allowEdit: false,
      inputEventSupported: true, outputEventSupported: true, hangupEventSupported: true,
      additionalCodes: [{ userId: 22, code: '152' }], externalPhones: [],
    });
    // The logo RetailCRM is pointed at is an SVG we serve.
    const logo = await got(`${base}/retailcrm-admin/logo.svg`);
    expect(logo.headers['content-type']).toContain('image/svg+xml');
    await op.close();
  });

  it('the accountUrl link opens the enterprise\'s admin (token gone from the address), the key shown masked; test connection shows RetailCRM\'s answer', async () => {
    page = await manager.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const answer = await page.goto(firstLink);
    expect(answer?.status()).toBe(200);
    expect(page.url()).toBe(`${base}/retailcrm-admin/${A.number}/`);
    expect(await page.locator('#enterprise-name').innerText()).toBe(A.name);
    const html = await page.content();
    expect(html).not.toContain(API_KEY);
    expect(await page.locator('#masked-key').innerText()).toBe(`••••${API_KEY.slice(-4)}`);
    const cookie = (await manager.cookies()).find((c) => c.name === 'rc_admin');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/retailcrm-admin' });

    await page.click('#test');
    await page.locator('#connection-result.ok').waitFor();
    const ok = await page.locator('#connection-result').innerText();
    expect(ok).toContain('подключение работает, пользователей: 3');
    expect(ok).toContain('HTTP 200');
    await shot(page, 'connection');

    // A wrong key typed in the form: RetailCRM's own refusal, as it came.
    await page.fill('#api_key', 'definitely-wrong-key');
    await page.click('#test');
    await page.locator('#connection-result.err').waitFor();
    const refused = await page.locator('#connection-result').innerText();
    expect(refused).toContain('Wrong "apiKey" value.');
    expect(refused).toContain('HTTP 401');
    await page.fill('#api_key', '');
  });

  it('assigns an extension, reassigns a taken one (its old owner is freed), saves, and the sandbox RetailCRM receives the additionalCodes', async () => {
    await page.click('nav.tabs a[data-tab="managers"]');
    const select = (id: number) => page.locator(`tr[data-user="${id}"] select`);
    expect(await select(22).inputValue()).toBe('152');
    const labels = await select(19).locator('option').allInnerTexts();
    expect(labels).toEqual(['— не назначен —', '150 (Джулай Джуновый)', '151 (Тимур Тимлидовый)', '152 (свободен) · у менеджера Ирина Лис']);

    await select(19).selectOption('150');
    await page.click('#save-extensions');
    await page.locator('#extensions-result.ok').waitFor();
    expect(await page.locator('#extensions-result').innerText()).toContain('Сохранено и отправлено в RetailCRM');
    expect(telephony(await lastModule()).additionalCodes).toEqual([{ userId: 19, code: '150' }, { userId: 22, code: '152' }]);

    // 150 is Анна's: choosing it for Олег takes it from her on the page and on save.
    await select(18).selectOption('150');
    expect(await select(19).inputValue()).toBe('');
    expect(await page.locator('tr[data-user="19"] .row-note').innerText()).toBe('150 передан менеджеру Олег Ким');
    await shot(page, 'managers');
    await page.click('#save-extensions');
    await page.locator('#extensions-result.ok').waitFor({ state: 'attached' });
    // The page already moved it, so both rows are changes: 18 takes 150, 19 is left without.
    await expect.poll(() => page.locator('#extensions-result').innerText()).toContain('менеджер 18 → 150');
    expect(await page.locator('#extensions-result').innerText()).toContain('менеджер 19: номер снят');
    expect(telephony(await lastModule()).additionalCodes).toEqual([{ userId: 18, code: '150' }, { userId: 22, code: '152' }]);
    expect((await stored(A.number)).user_extensions).toEqual({ 18: '150', 19: null, 22: '152' });
    // Committed and invalidated: the gateway's config cache already serves the new mapping.
    const cached = await gateway.cache.lookup(A.number, 'config');
    expect((cached?.entry.configs.retailcrm as { user_extensions: unknown }).user_extensions).toEqual({ 18: '150', 19: null, 22: '152' });
    // The sandbox's own view: code 150 now rings Олег (user 18).
    const accounts = await got(`${sandboxBase}/_sandbox/retailcrm/accounts`).json<{ name: string; codes: Record<string, number> }[]>();
    expect(accounts.find((a) => a.name === account)?.codes).toEqual({ 150: 18, 152: 22 });
  });

  it('refuses one number for two managers in one save (no script to move it)', async () => {
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const cookie = (await manager.cookies()).find((c) => c.name === 'rc_admin')!;
    const r = await got.post(`${base}/retailcrm-admin/${A.number}/api/extensions`, {
      headers: { cookie: `rc_admin=${cookie.value}`, 'x-csrf-token': csrf ?? '' }, form: { 'ext[19]': '151', 'ext[22]': '151' }, throwHttpErrors: false,
    });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, details: ['151 is chosen for 2 managers (19, 22): one number belongs to one manager'] });
    // Without the session's CSRF token the same post is refused outright.
    const forged = await got.post(`${base}/retailcrm-admin/${A.number}/api/extensions`, { headers: { cookie: `rc_admin=${cookie.value}` }, form: { 'ext[19]': '151' }, throwHttpErrors: false });
    expect(forged.statusCode).toBe(403);
    expect((await stored(A.number)).user_extensions).toEqual({ 18: '150', 19: null, 22: '152' });
  });

  it('re-registering from the link session sends a new link and revokes the old one; the session goes on', async () => {
    await page.click('nav.tabs a[data-tab="connection"]');
    await page.click('#register');
    await page.locator('#module-result.ok').waitFor();
    const m = await lastModule();
    expect(m.accountUrl).not.toBe(firstLink);
    await shot(page, 'registered');
    expect(telephony(m).additionalCodes).toEqual([{ userId: 18, code: '150' }, { userId: 22, code: '152' }]);
    // This session was renewed with the new link: it still works.
    expect((await page.goto(`${base}/retailcrm-admin/${A.number}/managers`))?.status()).toBe(200);

    const other = await browser.newContext();
    const p = await other.newPage();
    const old = await p.goto(firstLink);
    expect(old?.status()).toBe(401);
    expect(await p.locator('h1').innerText()).toBe('Ссылка отозвана');
    expect((await p.goto(String(m.accountUrl)))?.status()).toBe(200);
    await other.close();
  });

  it('refuses another enterprise\'s pages and actions, a tampered token and an expired one', async () => {
    const link = String((await lastModule()).accountUrl);
    const token = new URL(link).searchParams.get('token')!;
    // A's token offered for B.
    const other = await browser.newContext();
    const p = await other.newPage();
    const asB = await p.goto(`${base}/retailcrm-admin/?enterprise_number=${B.number}&token=${token}`);
    expect(asB?.status()).toBe(403);
    expect(await p.locator('h1').innerText()).toBe('Нет доступа к этому предприятию');
    // A's session on B's pages and actions.
    expect((await page.goto(`${base}/retailcrm-admin/${B.number}/`))?.status()).toBe(403);
    expect((await page.goto(`${base}/retailcrm-admin/${B.number}/logs`))?.status()).toBe(403);
    // With A's cookies (the context's request client shares them) and A's CSRF token.
    await page.goto(`${base}/retailcrm-admin/${A.number}/`);
    const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? '';
    const posted = await manager.request.post(`${base}/retailcrm-admin/${B.number}/api/register`, { headers: { 'X-CSRF-Token': csrf } });
    expect(posted.status()).toBe(403);
    expect(await posted.json()).toMatchObject({ ok: false, denied: 'other-enterprise' });
    expect((await stored(B.number)).account_link).toBeUndefined();

    // One character of the signature changed.
    const [h, pl, sig] = token.split('.') as [string, string, string];
    const tampered = `${h}.${pl}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const t = await p.goto(`${base}/retailcrm-admin/?enterprise_number=${A.number}&token=${tampered}`);
    expect(t?.status()).toBe(401);
    expect(await p.locator('h1').innerText()).toBe('Ссылка недействительна');
    await shot(p, 'refused');

    // Signed by us with the current jti, but past its expiry.
    const current = (await stored(A.number)).account_link as { jti: string };
    const now = Math.floor(Date.now() / 1000);
    const expired = await signLink(new TextEncoder().encode(SECRET), { enterprise: A.number, jti: current.jti, iat: now - 7200, exp: now - 60 });
    const x = await p.goto(`${base}/retailcrm-admin/?token=${expired}`);
    expect(x?.status()).toBe(401);
    expect(await p.locator('h1').innerText()).toBe('Срок действия ссылки истёк');
    // No session at all.
    const none = await p.goto(`${base}/retailcrm-admin/${A.number}/`);
    expect(none?.status()).toBe(401);
    await other.close();
  });

  it('the log page lists the admin\'s RetailCRM calls from integration_logs, filtered, secrets masked', async () => {
    await page.goto(`${base}/retailcrm-admin/${A.number}/logs`);
    const events = await page.locator('#logs tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')));
    expect(new Set(events)).toEqual(new Set(['admin_users', 'admin_module_get', 'register_module', 'admin_test', 'sync_extensions']));
    await page.selectOption('#log-filters select[name="event"]', 'register_module');
    await page.click('#log-filters button[type="submit"]');
    await page.waitForURL(/event=register_module/);
    expect(await page.locator('#logs tbody tr').count()).toBe(2);
    expect(await page.locator('#logs tbody tr[data-event="register_module"]').count()).toBe(2);
    await page.selectOption('#log-filters select[name="event"]', 'admin_test');
    await page.selectOption('#log-filters select[name="status"]', 'fatal');
    await page.click('#log-filters button[type="submit"]');
    await page.waitForURL(/status=fatal/);
    expect(await page.locator('#logs tbody tr').count()).toBe(1);
    expect(await page.locator('#logs tbody tr').innerText()).toContain('Wrong "apiKey" value.');
    await shot(page, 'logs');
    const html = await page.content();
    expect(html).not.toContain(API_KEY);
    expect(html).not.toContain('definitely-wrong-key');
    const rows = await dbHandle.selectFrom('integration_logs').select('request_data').where('enterprise_number', '=', A.number).where('event_type', '=', 'register_module').execute();
    for (const r of rows) expect(JSON.stringify(r.request_data)).toMatch(/token=\*\*\*/);
  });

  it('deleting the integration deactivates the module in RetailCRM, disables it here and revokes the link and the session', async () => {
    const link = String((await lastModule()).accountUrl);
    await page.goto(`${base}/retailcrm-admin/${A.number}/`);
    page.once('dialog', (d) => void d.accept());
    await page.click('#delete');
    await page.locator('#module-result.ok').waitFor();
    expect(await page.locator('#module-result').innerText()).toContain('Модуль в RetailCRM деактивирован');
    const m = await lastModule();
    expect(m.active).toBe(false);
    expect(String(m.accountUrl)).not.toContain('token=');
    const s = await stored(A.number);
    expect(s.enabled).toBe(false);
    expect(s.account_link).toBeUndefined();
    expect((await page.goto(`${base}/retailcrm-admin/${A.number}/`))?.status()).toBe(401);
    const p = await manager.newPage();
    expect((await p.goto(link))?.status()).toBe(401);
    expect(await p.locator('h1').innerText()).toBe('Ссылка отозвана');
    // The page's script ran without an error the whole way.
    expect(pageErrors).toEqual([]);
  });
});
