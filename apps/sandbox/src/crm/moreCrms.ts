/**
 * The MoySklad, U-ON and Bitrix24 stand-ins as one part of the sandbox server: created together,
 * mounted together, listed together on the sandbox's front page.
 */
import type { Express } from 'express';
import { Bitrix24Sandbox, bitrix24AdminRoutes, bitrix24ApiRoutes } from './bitrix24/index.js';
import { MoyskladSandbox, moyskladAdminRoutes, moyskladApiRoutes } from './moysklad/index.js';
import { UonSandbox, uonAdminRoutes, uonApiRoutes } from './uon/index.js';

export interface MoreCrms {
  moysklad: MoyskladSandbox;
  uon: UonSandbox;
  bitrix24: Bitrix24Sandbox;
}

export function newMoreCrms(): MoreCrms {
  return { moysklad: new MoyskladSandbox(), uon: new UonSandbox(), bitrix24: new Bitrix24Sandbox() };
}

export function mountMoreCrms(app: Express, c: MoreCrms): void {
  app.use(moyskladApiRoutes(c.moysklad));
  app.use(moyskladAdminRoutes(c.moysklad));
  app.use(uonApiRoutes(c.uon));
  app.use(uonAdminRoutes(c.uon));
  app.use(bitrix24ApiRoutes(c.bitrix24));
  app.use(bitrix24AdminRoutes(c.bitrix24));
}

/** The front page's section about them. */
export function moreCrmsSection(): string {
  const row = (title: string, slug: string, base: string): string => `<h2>${title}</h2>
<p>${base} <a href="/${slug}">What each manager sees</a> · <a href="/_sandbox/${slug}/requests?limit=100">last requests</a> ·
<a href="/_sandbox/${slug}/faults">faults</a> · <a href="/_sandbox/${slug}/limits">limits</a></p>`;
  return [
    row('MoySklad Phone API 1.0 / JSON API 1.2', 'moysklad', 'Integrations with <code>phone_api_url</code> = <code>http://&lt;this server&gt;/ms/&lt;account&gt;/api/phone/1.0</code> call it.'),
    row('U-ON', 'uon', 'Integrations with <code>api_url</code> = <code>http://&lt;this server&gt;/uon/&lt;account&gt;</code> call it.'),
    row('Bitrix24 REST (telephony)', 'bitrix24', 'Integrations with <code>webhook_url</code> = <code>http://&lt;this server&gt;/b24/&lt;portal&gt;/rest/1/&lt;code&gt;/</code> call it.'),
  ].join('\n');
}
