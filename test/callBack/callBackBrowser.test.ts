/**
 * The demo's two click paths in a real browser (Debian chromium via playwright-core):
 *  - the sandbox Telegram chat page: a missed call's "📞 Перезвонить" pressed in two chats at once
 *    rings through the sandbox AMI once (the presser's extension, then the customer), the other
 *    presser is told who is on it, the messages update in place; an unlinked recipient is told why;
 *  - the sandbox RetailCRM page: "call" beside a customer goes to the gateway's /retailcrm/make-call
 *    as RetailCRM would, rings through the sandbox AMI, and the call shows up in the chats and its trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPhone } from '@callpipe/telegram';
import { createGateway, type Gateway } from '../../apps/gateway/src/gateway.js';
import { setMakeCallFallback } from '../../apps/sandbox/src/crm/retailcrm/index.js';
import { RetailCrmSandbox } from '../../apps/sandbox/src/crm/retailcrm/retailCrmSandbox.js';
import { listen } from '../support/listen.js';
import { testLogger, waitFor } from '../support/testEnv.js';
import { CallBackWorld } from './callBackHarness.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const retailcrm = new RetailCrmSandbox();
const w = new CallBackWorld({ retailcrm });
const [a, b, c] = w.recipients as [typeof w.recipients[0], typeof w.recipients[0], typeof w.recipients[0]];
const profile = mkdtempSync(join(tmpdir(), 'callpipe-chromium-'));
let gateway: Gateway;
let closeGateway: () => Promise<void>;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  await w.start();
  await w.startUpdates();
  w.feedPipeline = true;
  gateway = createGateway(w.config, testLogger());
  const g = await listen(gateway.app);
  closeGateway = g.close;
  const account = retailcrm.setup({
    name: 'browser', apiKey: 'browser-key',
    users: [{ id: 19, firstName: 'Анна', lastName: 'Смирнова', code: '150' }],
    customers: [{ id: 7, firstName: 'Иван', lastName: 'Петров', phones: [{ number: '+375296254071' }], managerId: 19 }],
  });
  setMakeCallFallback(account, { url: `${g.base}/retailcrm/make-call`, clientId: w.ent.number, module: 'demo' });
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1500, height: 950 }, timeout: 120_000 });
  page = await browser.newPage();
}, 150_000);
afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
  await closeGateway?.();
  await gateway?.stop();
  await w.close();
});

const chat = (chatId: number) => page.locator('section.chat').filter({ hasText: `chat ${chatId} ` });
/** The missed call's message in a chat (the call-back itself becomes an outgoing call's message of its own). */
const bubble = (chatId: number, phone: string) => chat(chatId).locator('.msg').filter({ hasText: formatPhone(phone) }).filter({ hasText: 'Пропущенный' });

describe('sandbox Telegram chat page: the call-back button', () => {
  it('an unlinked recipient\'s press is answered with why; two presses at once ring once and the loser is told who calls', async () => {
    const { events, phone } = w.callEvents('1-4', 5);
    await w.producers.addBulk('events', events.map((e) => ({ name: e.eventType, data: e })));
    expect((await page.goto(`${w.telegramBase}/telegram`))?.status()).toBe(200);
    for (const r of w.recipients) await bubble(r.chatId, phone).getByRole('button', { name: '📞 Перезвонить' }).waitFor({ timeout: 30_000 });

    await bubble(b.chatId, phone).getByRole('button', { name: '📞 Перезвонить' }).click();
    await page.locator('.notice.alert').filter({ hasText: 'не привязан к внутреннему номеру' }).waitFor({ timeout: 15_000 });

    const before = w.originates().length;
    // Both buttons clicked in the same tick, as two people pressing at once (sequential clicks on a loaded
    // machine could see the first press's edit remove the second button before it is clicked).
    const buttons = await Promise.all([a, c].map((r) => bubble(r.chatId, phone).getByRole('button', { name: '📞 Перезвонить' }).elementHandle()));
    await page.evaluate((bs) => { for (const btn of bs) (btn as unknown as { click(): void }).click(); }, buttons);
    await page.locator('.notice').filter({ hasText: 'Звоним: сначала ваш телефон' }).waitFor({ timeout: 15_000 });
    await page.locator('.notice.alert').filter({ hasText: 'Этим звонком уже занимается' }).waitFor({ timeout: 15_000 });
    // Every chat's message now says who called back, and has no button.
    for (const r of w.recipients) {
      await bubble(r.chatId, phone).filter({ hasText: '✅ Перезвонил' }).waitFor({ timeout: 20_000 });
      expect(await bubble(r.chatId, phone).getByRole('button').count()).toBe(0);
      expect(await bubble(r.chatId, phone).count()).toBe(1);
    }
    const sent = w.originates().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.fields.channel).toMatch(/^Local\/15[01]@inoffice$/);
    expect(sent[0]!.fields.data).toBe(`Local/+${phone.replace(/^\+/, '')}@inoffice`);
    // The call-back is a real call: the PBX's events reach the chats as the manager's outgoing call to the customer.
    await chat(a.chatId).locator('.msg').filter({ hasText: formatPhone(phone) }).filter({ hasText: 'исходящий' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(tmpdir(), 'callpipe-callback-chat.png') });
  });
});

describe('sandbox RetailCRM page: "call" beside a customer', () => {
  it('goes to /retailcrm/make-call as RetailCRM would, rings through the sandbox AMI, and the call reaches the chats and its trace', async () => {
    const before = w.originates().length;
    expect((await page.goto(`${w.telegramBase}/retailcrm`))?.status()).toBe(200);
    const row = page.locator('section.account[data-account="browser"] table.customers tr[data-customer="7"]');
    await row.getByRole('button', { name: 'call' }).click();
    await page.locator('#toast').filter({ hasText: 'make-call → 200' }).waitFor({ timeout: 20_000 });
    const sent = w.originates().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.fields).toMatchObject({ channel: 'Local/150@inoffice', data: 'Local/+375296254071@inoffice' });
    const uniqueId = sent[0]!.uniqueId!;
    // The originated call, posted by the emulated host, becomes the chats' message for the customer...
    await waitFor(async () => w.messages(a.chatId).some((m) => m.text.includes(formatPhone('375296254071'))), 'the chats to show the click-to-call', 30_000, 100);
    // ...and its trace says it was started from the CRM.
    const entry = await waitFor(async () => {
      const ids = await w.db.selectFrom('call_ids').select('call_id').where('enterprise_number', '=', w.ent.number).where('id_value', '=', uniqueId).executeTakeFirst();
      if (!ids) return undefined;
      return w.db.selectFrom('call_trace_entries').select(['kind', 'data']).where('enterprise_number', '=', w.ent.number).where('call_id', '=', ids.call_id).where('kind', '=', 'integration').executeTakeFirst();
    }, 'the trace to hold the make-call entry', 30_000, 100);
    expect(entry.data).toMatchObject({ integration: 'retailcrm', operation: 'make_call', status: 'success' });
    // The page lists the click-to-call with the telephony's answer.
    await page.locator('section.account[data-account="browser"] .c2c').filter({ hasText: '→ +375296254071: 200' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(tmpdir(), 'callpipe-click-to-call-crm.png') });
  });
});
