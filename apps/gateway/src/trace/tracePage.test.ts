import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@callpipe/db';
import { launchChromium } from '../../../../test/support/browser.js';
import { listen } from '../../../../test/support/listen.js';
import { testConfig, testLogger, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { seedTransferredCall, type SeededTrace } from '../../../../test/callLog/seedTrace.js';
import { createGateway, type Gateway } from '../gateway.js';

const varDir = fileURLToPath(new URL('../../../../var/', import.meta.url));

describe('trace page in a real browser (Debian chromium)', () => {
  const config = testConfig({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 'night-shift' });
  const enterprise = uniqueEnterprise().number;
  const db = createDb(createPool({ connectionString: config.databaseUrl, max: 2, applicationName: 'trace-page-test' }));
  let seeded: SeededTrace;
  let gateway: Gateway;
  let base: string;
  let close: () => Promise<void>;
  let browser: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    seeded = await seedTransferredCall(db, enterprise, new Date('2026-03-05T08:00:00Z'));
    gateway = createGateway(config, testLogger());
    ({ base, close } = await listen(gateway.app));
    ({ browser, close: closeBrowser } = await launchChromium({
      httpCredentials: { username: 'ops', password: 'night-shift' }, viewport: { width: 1440, height: 900 }, timezoneId: 'Europe/Minsk',
    }));
  }, 150_000);
  afterAll(async () => {
    await closeBrowser?.();
    await close();
    await gateway.stop();
    await db.destroy();
  });

  it('opens a transferred call by one of its UniqueIds and shows the whole timeline, each recipient\'s messages and the CRM attempts', async () => {
    const x = seeded.call.call.expected;
    // A UniqueId of the transfer leg, not the caller's — every id of the call opens all of it.
    const page = await browser.newPage();
    const answer = await page.goto(`${base}/trace-ui/${x.uniqueIds[5]}`);
    expect(answer?.status()).toBe(200);

    const rows = page.locator('#timeline tbody tr');
    expect(await rows.count()).toBe(x.eventCount + seeded.extras.length);
    expect(await page.locator('#timeline tbody tr[data-kind="event"]').count()).toBe(x.eventCount);
    for (const id of [...x.uniqueIds, ...x.bridgeUniqueIds]) expect(await page.locator(`a.chip:text-is("${id}")`).count()).toBe(1);
    expect(await page.locator('h1 .badge').innerText()).toBe('answered');
    // The page's script turned UTC into the browser's zone (Minsk, UTC+3).
    expect(await page.locator('#zone').innerText()).toBe('UTC+03:00');
    expect(await page.locator('dl.facts time').first().innerText()).toBe('2026-03-05 11:00:00 UTC+03:00');

    // Filter by recipient: that chat's Telegram entries and the shared ones stay, the other chat's go.
    const [full, brief] = seeded.chats;
    await page.selectOption('#recipient', brief);
    expect(await page.locator(`#timeline tbody tr[data-chat="${full}"]:visible`).count()).toBe(0);
    expect(await page.locator(`#timeline tbody tr[data-chat="${brief}"]:visible`).count()).toBe(2);
    expect(await page.locator('#timeline tbody tr[data-kind="event"]:visible').count()).toBe(x.eventCount);
    expect(await page.locator('#shown').innerText()).toBe(`${x.eventCount + seeded.extras.length - 2} of ${x.eventCount + seeded.extras.length} entries shown`);
    await page.selectOption('#recipient', '');

    // Side by side: one column per recipient, the full one sees the customer's name, the brief one does not.
    const cols = page.locator('#recipients .col');
    expect(await cols.count()).toBe(2);
    expect(await page.locator(`#recipients .col[data-chat="${full}"] li`).count()).toBe(2);
    expect(await page.locator(`#recipients .col[data-chat="${full}"]`).innerText()).toContain('in place of #501 (deleted)');
    expect(await page.locator(`#recipients .col[data-chat="${full}"]`).innerText()).toContain('Ivan Petrov');
    expect(await page.locator(`#recipients .col[data-chat="${brief}"]`).innerText()).not.toContain('Ivan Petrov');

    // CRM attempts with their results, secrets masked.
    const crm = page.locator('#crm tbody tr');
    expect(await crm.count()).toBe(2);
    expect(await crm.nth(0).locator('.badge').innerText()).toBe('timeout');
    expect(await crm.nth(1).locator('.badge').innerText()).toBe('success');
    expect(await page.content()).not.toContain('Sup3rS3cretKey');

    mkdirSync(varDir, { recursive: true });
    await page.screenshot({ path: join(varDir, 'trace-page.png'), fullPage: true });
  });
});
