/** The sandbox RetailCRM page in a real browser (Debian chromium): popups appear on the managers' screens and close, history fills. */
import got from 'got';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../../test/support/browser.js';
import { serveSandbox } from '../../../../../test/support/sandboxServer.js';
import { RetailCrmSandbox } from './retailCrmSandbox.js';

const KEY = 'page-test-key';

describe('sandbox RetailCRM page in a real browser (Debian chromium)', () => {
  const retailcrm = new RetailCrmSandbox();
  let base = '';
  let close: () => Promise<void>;
  let browser: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  let page: Page;

  beforeAll(async () => {
    ({ base, close } = await serveSandbox({ retailcrm }));
    retailcrm.setup({
      name: 'june', apiKey: KEY,
      users: [{ id: 19, firstName: 'Анна', lastName: 'Смирнова', code: '150' }, { id: 18, firstName: 'Олег', lastName: 'Ким', code: '151' }],
      customers: [{ id: 7, firstName: 'Иван', lastName: 'Петров', phones: [{ number: '+375291234567' }] }],
    });
    ({ browser, close: closeBrowser } = await launchChromium({ viewport: { width: 1400, height: 900 } }));
    page = await browser.newPage();
  }, 150_000);
  afterAll(async () => {
    await closeBrowser?.();
    await close();
  });

  const send = (path: string, form: Record<string, string>): Promise<number> =>
    got.post(`${base}/retailcrm/june/api/v5/${path}`, { form, headers: { 'X-API-KEY': KEY }, throwHttpErrors: false }).then((r) => r.statusCode);
  const event = (e: Record<string, unknown>) => ({ clientId: '0367', event: JSON.stringify(e) });
  const card = (code: string) => page.locator(`section.account[data-account="june"] .manager[data-code="${code}"]`);

  it('shows each manager\'s screen: the popup appears when the call rings for them and goes on the hangup; the history row appears', async () => {
    expect((await page.goto(`${base}/retailcrm`))?.status()).toBe(200);
    await card('150').waitFor();
    expect(await card('150').locator('.idle').innerText()).toBe('no call on screen');

    expect(await send('telephony/call/event', event({ phone: '+375291234567', type: 'in', codes: ['150', '151'], callExternalId: 'c-1', externalPhone: '0001363' }))).toBe(200);
    const popup150 = card('150').locator('.popup[data-call="c-1"]');
    await popup150.waitFor({ timeout: 5000 });
    expect(await popup150.innerText()).toContain('Incoming call +375291234567');
    expect(await popup150.locator('.customer').innerText()).toBe('Иван Петров');
    await card('151').locator('.popup[data-call="c-1"]').waitFor({ timeout: 5000 });
    expect(await page.locator('#status').innerText()).toMatch(/2 popups on screen/);

    // A hangup naming only 150 leaves 151's popup open: the page shows exactly what RetailCRM would.
    expect(await send('telephony/call/event', event({ phone: '+375291234567', type: 'hangup', codes: ['150'], callExternalId: 'c-1', hangupStatus: 'answered' }))).toBe(200);
    await popup150.waitFor({ state: 'detached', timeout: 5000 });
    expect(await card('151').locator('.popup').count()).toBe(1);
    expect(await card('150').locator('.closed').innerText()).toContain('+375291234567 (answered)');

    expect(await send('telephony/call/event', event({ phone: '+375291234567', type: 'hangup', codes: ['151'], callExternalId: 'c-1', hangupStatus: 'answered' }))).toBe(200);
    await card('151').locator('.popup').waitFor({ state: 'detached', timeout: 5000 });

    const calls = [{ date: '2026-03-05 11:00:00', type: 'in', phone: '375291234567', code: '151', userId: 18, result: 'answered', duration: 95, externalId: 'c-1', recordUrl: 'https://records.example/c-1.mp3' }];
    expect(await send('telephony/calls/upload', { clientId: '0367', calls: JSON.stringify(calls) })).toBe(200);
    const row = page.locator('table.history tbody tr[data-external-id="c-1"]');
    await row.waitFor({ timeout: 5000 });
    expect(await row.locator('.manager').innerText()).toBe('Олег Ким');
    expect(await row.locator('.result').innerText()).toBe('answered');
    expect(await row.locator('.duration').innerText()).toBe('95 s');
    expect(await row.locator('a').getAttribute('href')).toBe('https://records.example/c-1.mp3');
  }, 60_000);
});
