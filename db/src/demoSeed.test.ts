import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, createPool, type Database } from '@callpipe/db';
import { integrationError } from '@callpipe/config-cache';
import type { Kysely } from 'kysely';
import { DEMO_MANAGERS } from '../../apps/sandbox/src/crm/demoPeople.js';
import { DEMO_EXTENSIONS } from '../../apps/sandbox/src/host/managerPool.js';
import { demoIntegrations, isLoopback, mergeDemoIntegrations, type DemoSandbox } from './demoIntegrations.js';
import { DEMO, seedDemo } from './demoSeed.js';
import { migrateToLatest } from './migrator.js';

const sandbox = (port: number): DemoSandbox => ({
  baseUrl: `http://127.0.0.1:${port}`, account: 'june',
  ami: { host: '127.0.0.1', port: port + 1, username: 'callpipe', secret: 'sandbox-ami-secret' },
});

describe('the demo integrations', () => {
  it('enable all four CRMs and the AMI at the sandbox, each valid by its schema, RetailCRM primary', () => {
    const d = demoIntegrations(sandbox(8090));
    for (const [type, settings] of Object.entries(d)) expect([type, integrationError(type, settings)]).toEqual([type, null]);
    for (const type of ['retailcrm', 'ms', 'uon', 'bitrix24', 'ami']) expect(d[type]?.enabled).toBe(true);
    expect(d.retailcrm?.domain).toBe('http://127.0.0.1:8090/retailcrm/june');
    expect(d.ms?.phone_api_url).toBe('http://127.0.0.1:8090/ms/june/api/phone/1.0');
    expect(d.uon?.api_url).toBe('http://127.0.0.1:8090/uon/june');
    expect(d.bitrix24?.webhook_url).toBe('http://127.0.0.1:8090/b24/june/rest/1/demo-june-code/');
    expect(d.smart).toEqual({ primary: 'retailcrm' });
    // U-ON notifies only mapped managers: every extension the emulated host rings has one.
    expect(Object.values(d.uon?.user_extensions as Record<string, string>)).toContain('169');
  });

  it('map every manager the emulated host rings to the user the sandbox CRMs know them as', () => {
    const d = demoIntegrations(sandbox(8090));
    expect(DEMO_MANAGERS.map((m) => m.ext)).toEqual(DEMO_EXTENSIONS);
    for (const m of DEMO_MANAGERS) {
      expect((d.retailcrm?.user_extensions as Record<string, string>)[String(m.retailcrmId)]).toBe(m.ext);
      expect((d.uon?.user_extensions as Record<string, string>)[String(m.crmId)]).toBe(m.ext);
      expect((d.bitrix24?.user_extensions as Record<string, string>)[String(m.crmId)]).toBe(m.ext);
    }
    expect(d.retailcrm?.user_extensions).toMatchObject({ 19: '150', 18: '151', 16: '152' });
  });

  it('tells this machine from elsewhere', () => {
    expect([isLoopback('http://127.0.0.1:8090/retailcrm/june'), isLoopback('http://localhost/x'), isLoopback('127.0.0.1'), isLoopback('[::1]')]).toEqual([true, true, true, true]);
    expect([isLoopback('https://june.retailcrm.ru'), isLoopback('10.0.0.5'), isLoopback(null)]).toEqual([false, false, false]);
  });

  it('merge: keep the operator\'s fields and real connections, move the sandbox ones to this run\'s ports', () => {
    const existing = {
      smart: { primary: null },
      retailcrm: { enabled: false, domain: 'https://june.retailcrm.ru', api_key: 'real-key', user_extensions: { 7: '150' } },
      ms: { enabled: true, phone_api_url: 'http://127.0.0.1:8090/ms/june/api/phone/1.0', integration_code: 'old', employee_mapping: { 150: { employee_id: 'e1' } } },
      uon: { enabled: true, api_url: 'http://localhost:8090/uon/june', api_key: 'k', user_extensions: { 1: '151', 2: null } },
      ami: { enabled: true, host: '127.0.0.1', port: 5038, username: 'callpipe', secret: 'sandbox-ami-secret', context: 'office2' },
      telegram_extra: { enabled: true },
    };
    const m = mergeDemoIntegrations(existing, demoIntegrations(sandbox(9000))) as Record<string, Record<string, unknown>>;
    // A null primary (the previous seed's) is filled in; the operator's disabled real RetailCRM stays as it was.
    expect(m.smart).toEqual({ primary: 'retailcrm' });
    expect(m.retailcrm).toEqual({ enabled: false, domain: 'https://june.retailcrm.ru', api_key: 'real-key', user_extensions: { 7: '150' } });
    // A sandbox connection follows the new port; the operator's mapping is kept, the missing api_url added.
    expect(m.ms).toMatchObject({ phone_api_url: 'http://127.0.0.1:9000/ms/june/api/phone/1.0', api_url: 'http://127.0.0.1:9000/ms/june/api/remap/1.2', integration_code: 'demo-june-phone-key', employee_mapping: { 150: { employee_id: 'e1' } } });
    expect(m.ami).toEqual({ enabled: true, host: '127.0.0.1', port: 9001, username: 'callpipe', secret: 'sandbox-ami-secret', context: 'office2' });
    expect(m.telegram_extra).toEqual({ enabled: true });
    // A sandbox mapping gets the demo's entries it lacks; the row's own (a changed or unassigned manager) stay.
    expect(m.uon?.api_url).toBe('http://127.0.0.1:9000/uon/june');
    expect(m.uon?.user_extensions).toMatchObject({ 1: '151', 2: null, 3: '152', 20: '169' });
    expect(m.retailcrm?.user_extensions).toEqual({ 7: '150' });
  });

  it('merge: a row without settings, or with garbage in them, gets the demo\'s', () => {
    const d = demoIntegrations(sandbox(8090));
    expect(mergeDemoIntegrations(null, d)).toEqual(d);
    expect(mergeDemoIntegrations({ retailcrm: 'x', ms: [1] }, d)).toEqual(d);
  });
});

describe('seedDemo on a database', () => {
  const adminUrl = new URL(inject('databaseUrl'));
  const name = `callpipe_demoseed_${randomBytes(3).toString('hex')}`;
  adminUrl.pathname = `/${name}`;
  let db: Kysely<Database>;

  beforeAll(async () => {
    await migrateToLatest(adminUrl.toString());
    db = createDb(createPool({ connectionString: adminUrl.toString(), max: 2, applicationName: 'demo-seed-test' }));
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    const admin = new pg.Client({ connectionString: Object.assign(new URL(adminUrl), { pathname: '/postgres' }).toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  const config = async (): Promise<Record<string, Record<string, unknown>>> => {
    const row = await db.selectFrom('enterprises').select('integrations_config').where('number', '=', DEMO.enterprise).executeTakeFirstOrThrow();
    return row.integrations_config as Record<string, Record<string, unknown>>;
  };

  it('writes the demo integrations, and a second seed keeps what an operator changed in between', async () => {
    await seedDemo(db, sandbox(8090));
    expect(await config()).toEqual(demoIntegrations(sandbox(8090)));
    const changed = await config();
    changed.uon = { ...changed.uon, enabled: false };
    changed.bitrix24 = { ...changed.bitrix24, crm_create: true };
    await db.updateTable('enterprises').where('number', '=', DEMO.enterprise).set({ integrations_config: JSON.stringify(changed) }).execute();
    await seedDemo(db, sandbox(8190));
    const after = await config();
    expect(after.uon?.enabled).toBe(false);
    expect(after.bitrix24).toMatchObject({ crm_create: true, webhook_url: 'http://127.0.0.1:8190/b24/june/rest/1/demo-june-code/' });
    expect(after.retailcrm?.domain).toBe('http://127.0.0.1:8190/retailcrm/june');
    const users = await db.selectFrom('telegram_users').select('tg_id').where('enterprise_number', '=', DEMO.enterprise).execute();
    expect(users).toHaveLength(DEMO.recipients.length);
  });
});
