import { afterAll, describe, expect, it } from 'vitest';
import { testLogger, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { processorDeps } from '../../../../test/support/processorDeps.js';
import { TtlMap } from '@callpipe/config-cache';
import { enrich, type NamesRow } from './enrich.js';

const { db, close } = processorDeps('telegram-enrich-test');
afterAll(close);
const log = testLogger();

describe('enrich: the names a call message shows, from the enterprise tables in one statement', async () => {
  const e = uniqueEnterprise();
  await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token }).execute();
  await db.insertInto('customers').values({ enterprise_number: e.number, phone_e164: '+375296254070', last_name: 'Петров', first_name: 'Иван', middle_name: null, enterprise_name: 'ООО Ромашка' }).execute();
  await db.insertInto('customers').values({ enterprise_number: e.number, phone_e164: '+375290000001', last_name: ' ', first_name: null, middle_name: null, enterprise_name: 'ООО Василёк' }).execute();
  const u = await db.insertInto('users').values({ enterprise_number: e.number, first_name: 'Джулай', last_name: 'Джуновый', patronymic: null, email: null }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('user_internal_phones').values({ enterprise_number: e.number, phone_number: '151', user_id: u.id }).execute();
  await db.insertInto('gsm_lines').values([
    { enterprise_number: e.number, line_id: '0001363', line_name: 'МТС офис', phone_number: null, operator: null },
    { enterprise_number: e.number, line_id: 'sip-main', line_name: '', phone_number: null, operator: null },
  ]).execute();
  await db.insertInto('sip_lines').values({ enterprise_number: e.number, line_name: 'sip-main', phone_number: null, provider: null }).execute();

  it('finds the customer (family name first), the managers by extension and the GSM line by trunk', async () => {
    const names = await enrich(db, { enterprise: e.number, phone: '375296254070', extensions: ['150', '151'], trunk: '0001363' }, 2000, log);
    expect(names).toEqual({ customerName: 'Петров Иван', managerNames: { 151: 'Джуновый Джулай' }, lineName: 'МТС офис' });
  });

  it('a company name when the person has none; a GSM line without a name falls to the SIP line of that name', async () => {
    const names = await enrich(db, { enterprise: e.number, phone: '+375 29 000-00-01', extensions: [], trunk: 'sip-main' }, 2000, log);
    expect(names).toEqual({ customerName: 'ООО Василёк', lineName: 'sip-main' });
  });

  it('the primary CRM\'s name wins; unknown phone, extensions and trunk leave their fields out', async () => {
    const fromCrm = await enrich(db, { enterprise: e.number, phone: '375296254070', extensions: [], crmCustomerName: async () => 'Иван из CRM' }, 2000, log);
    expect(fromCrm).toEqual({ customerName: 'Иван из CRM' });
    const unknown = await enrich(db, { enterprise: e.number, phone: '375299999999', extensions: ['999'], trunk: 'nope' }, 2000, log);
    expect(unknown).toEqual({});
    // Another enterprise's tables are not this one's.
    const other = await enrich(db, { enterprise: uniqueEnterprise().number, phone: '375296254070', extensions: ['151'], trunk: '0001363' }, 2000, log);
    expect(other).toEqual({});
  });

  it('with the process\'s cache, the same parties are read once (a rename shows when the entry expires); other parties are read', async () => {
    const cache = new TtlMap<NamesRow>(60_000, 100);
    const ask = (extensions: string[]) => enrich(db, { enterprise: e.number, phone: '375296254070', extensions, trunk: '0001363' }, 2000, log, cache);
    expect(await ask(['151'])).toMatchObject({ customerName: 'Петров Иван', managerNames: { 151: 'Джуновый Джулай' } });
    await db.updateTable('users').set({ last_name: 'Августов' }).where('id', '=', u.id).execute();
    expect(await ask(['151'])).toMatchObject({ managerNames: { 151: 'Джуновый Джулай' } });
    expect(cache.size).toBe(1);
    // Another set of parties is another question, answered from the tables as they are now.
    expect(await ask(['151', '150'])).toMatchObject({ managerNames: { 151: 'Августов Джулай' } });
    expect(cache.size).toBe(2);
    const fresh = new TtlMap<NamesRow>(60_000, 100);
    expect(await enrich(db, { enterprise: e.number, phone: '375296254070', extensions: ['151'], trunk: '0001363' }, 2000, log, fresh)).toMatchObject({ managerNames: { 151: 'Августов Джулай' } });
  });
});
