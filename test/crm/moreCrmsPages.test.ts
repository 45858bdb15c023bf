/**
 * The sandbox MoySklad, U-ON and Bitrix24 pages in a real browser (Debian chromium), fed by the real
 * adapters through the shared executor: the popup appears on each rung manager's screen while the
 * call rings, leaves it at the hangup without a reload, and the call lands in the history.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmAccount, CrmAdapter } from '@callpipe/crm';
import { bitrix24Adapter } from '../../libs/crm/src/bitrix24/index.js';
import { moyskladAdapter } from '../../libs/crm/src/moysklad/index.js';
import { ringingFacts, sampleFacts } from '../../libs/crm/src/sampleFacts.js';
import { uonAdapter } from '../../libs/crm/src/uon/index.js';
import { launchChromium } from '../support/browser.js';
import { uniqueEnterprise } from '../support/testEnv.js';
import { contextFor, crms, serveCrms } from './adapterContext.js';

let base = '';
let close: () => Promise<void>;
let browser: BrowserContext;
let closeBrowser: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ base, close } = await serveCrms());
  ({ browser, close: closeBrowser } = await launchChromium({ viewport: { width: 1400, height: 900 } }));
}, 150_000);
afterAll(async () => {
  await closeBrowser?.();
  await close();
});

interface Case {
  adapter: CrmAdapter;
  slug: string;
  /** Sets the sandbox account up; gives the integration settings and the manager card ids of extensions 150 and 151. */
  setup: (enterprise: string) => { settings: Record<string, unknown>; account: string; cards: [string, string]; customer: string | null };
}

const cases: Case[] = [
  {
    adapter: moyskladAdapter, slug: 'moysklad',
    setup: (e) => {
      crms.moysklad.setup({
        name: `ms${e}`, autoEmployees: false, employees: [{ id: 'e-150', name: 'Анна', extension: '150' }, { id: 'e-151', name: 'Олег', extension: '151' }],
        counterparties: [{ name: 'ООО Ромашка', phone: '+375291234567' }],
      });
      return {
        account: `ms${e}`, cards: ['e-150', 'e-151'], customer: 'ООО Ромашка',
        settings: { enabled: true, integration_code: `k${e}`, api_token: `t${e}`, phone_api_url: `${base}/ms/ms${e}/api/phone/1.0`, api_url: `${base}/ms/ms${e}/api/remap/1.2` },
      };
    },
  },
  {
    adapter: uonAdapter, slug: 'uon',
    setup: (e) => {
      crms.uon.setup({
        name: `uon${e}`, autoManagers: false, managers: [{ id: '7', name: 'Анна', extension: '150' }, { id: '9', name: 'Олег', extension: '151' }],
        clients: [{ surname: 'Иванов', name: 'Иван', phone: '+375291234567' }],
      });
      return { account: `uon${e}`, cards: ['7', '9'], customer: null, settings: { enabled: true, api_key: `k${e}`, api_url: `${base}/uon/uon${e}`, user_extensions: { 7: '150', 9: '151' } } };
    },
  },
  {
    adapter: bitrix24Adapter, slug: 'bitrix24',
    setup: (e) => {
      crms.bitrix24.setup({
        name: `b${e}`, autoUsers: false, users: [{ id: 11, name: 'Анна', innerPhone: '150' }, { id: 24, name: 'Олег', innerPhone: '151' }],
        entities: [{ type: 'CONTACT', id: 651, name: 'John Doe', phone: '+375291234567', assignedId: 24 }],
      });
      return { account: `b${e}`, cards: ['11', '24'], customer: 'John Doe', settings: { enabled: true, webhook_url: `${base}/b24/b${e}/rest/1/c${e}/`, user_extensions: { 11: '150', 24: '151' } } };
    },
  },
];

const popupsOn = (page: Page, account: string, card: string) => page.locator(`section.account[data-account="${account}"] section.manager[data-manager="${card}"] .popup`);

describe('sandbox MoySklad, U-ON and Bitrix24 pages in a real browser (Debian chromium)', () => {
  for (const c of cases) {
    it(`${c.slug}: the popup shows on both rung managers' screens, leaves at the hangup without a reload, and the call is in the history`, async () => {
      const enterprise = uniqueEnterprise().number;
      const { settings, account, cards, customer } = c.setup(enterprise);
      const acc: CrmAccount = { enterprise, type: c.adapter.type, settings };
      const page = await browser.newPage();
      expect((await page.goto(`${base}/${c.slug}`))?.status()).toBe(200);

      await c.adapter.popup(ringingFacts(), ['150', '151'], contextFor(c.adapter, acc, 'popup'));
      for (const card of cards) await popupsOn(page, account, card).first().waitFor({ timeout: 5000 });
      expect(await popupsOn(page, account, cards[0]).count()).toBe(1);
      const text = await popupsOn(page, account, cards[1]).innerText();
      expect(text).toContain('375291234567');
      if (customer) expect(text).toContain(customer);

      await c.adapter.close(sampleFacts(), contextFor(c.adapter, acc, 'close'));
      await c.adapter.history(sampleFacts(), contextFor(c.adapter, acc, 'history'));
      const row = page.locator(`section.account[data-account="${account}"] table.history tbody tr`);
      await row.first().waitFor({ timeout: 5000 });
      expect(await row.count()).toBe(1);
      expect(await row.locator('td.duration').innerText()).toBe('95 s');
      expect(await row.locator('td.manager').innerText()).toContain('Олег');
      expect(await row.locator('td.record a').getAttribute('href')).toBe('https://records.example/1741165200.101.mp3');
      if (c.slug !== 'uon') {
        // U-ON's notifications fade on their own; the other two take the card down at the hangup.
        await expect.poll(() => page.locator(`section.account[data-account="${account}"] .popup`).count(), { timeout: 5000 }).toBe(0);
        expect(await page.locator(`section.account[data-account="${account}"] .recent`).count()).toBe(2);
      }
      await page.close();
    }, 60_000);
  }
});
