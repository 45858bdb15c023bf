/**
 * The demo enterprise: 0367 "june", host token 375293332255, two Telegram recipients (full and
 * brief), managers on extensions 150–152, one GSM line, one known customer, and every CRM and the AMI
 * pointing at the sandbox (demoIntegrations.ts). Idempotent; keeps an operator's own settings.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { DEMO_RETAILCRM_USERS, demoIntegrations, mergeDemoIntegrations, type DemoSandbox } from './demoIntegrations.js';

export const DEMO = {
  enterprise: '0367',
  name: 'june',
  token: '375293332255',
  botToken: '7000000367:AAE-demo-june-bot-token-sandbox-only',
  // The full recipient is linked to extension 150: their "📞 Перезвонить" rings it; the brief one is not linked (told why).
  recipients: [
    { tgId: 374573193, role: 'full' as const, extension: '150' as string | null },
    { tgId: 7757573720, role: 'brief' as const, extension: null as string | null },
  ],
  managers: [
    { ext: '150', first: 'Джулай', last: 'Джуновый' },
    { ext: '151', first: 'Тимур', last: 'Тимлидовый' },
    { ext: '152', first: 'Августа', last: 'Августовская' },
  ],
  gsmLine: { lineId: '0001363', name: 'МТС Главный офис', phone: '+375296254070', operator: 'MTS' },
  customer: { phone: '+375296254071', first: 'Иван', last: 'Петров', company: 'ООО Ромашка' },
  /** RetailCRM user id -> extension (the old system's own example mapping): click-to-call rings these. */
  userExtensions: DEMO_RETAILCRM_USERS,
};

/** The sandbox at its config defaults (SANDBOX_PORT 8090, SANDBOX_RETAILCRM_DEMO june:0367, SANDBOX_AMI_*). */
export const DEMO_SANDBOX: DemoSandbox = {
  baseUrl: 'http://127.0.0.1:8090', account: 'june',
  ami: { host: '127.0.0.1', port: 5038, username: 'callpipe', secret: 'sandbox-ami-secret' },
};

export async function seedDemo(db: Kysely<Database>, sandbox: DemoSandbox = DEMO_SANDBOX): Promise<void> {
  const e = DEMO.enterprise;
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('enterprises')
      .values({ number: e, name: DEMO.name, name2: DEMO.token, bot_token: DEMO.botToken, active: true })
      .onConflict((oc) => oc.column('number').doUpdateSet({ name: DEMO.name, name2: DEMO.token, bot_token: DEMO.botToken, active: true }))
      .execute();
    // Read and written under the row's lock: the demo's integrations merged into what the row has.
    const row = await tx.selectFrom('enterprises').select('integrations_config').where('number', '=', e).forUpdate().executeTakeFirstOrThrow();
    const merged = mergeDemoIntegrations(row.integrations_config, demoIntegrations(sandbox));
    await tx.updateTable('enterprises').where('number', '=', e).set({ integrations_config: JSON.stringify(merged) }).execute();
    for (const r of DEMO.recipients) {
      await tx.insertInto('telegram_users')
        .values({ tg_id: r.tgId, bot_token: DEMO.botToken, enterprise_number: e, role: r.role, extension: r.extension })
        .onConflict((oc) => oc.columns(['tg_id', 'bot_token']).doUpdateSet({ role: r.role, active: true, enterprise_number: e, extension: r.extension }))
        .execute();
    }
    for (const m of DEMO.managers) {
      const existing = await tx.selectFrom('user_internal_phones').select('user_id')
        .where('enterprise_number', '=', e).where('phone_number', '=', m.ext).executeTakeFirst();
      if (existing?.user_id) continue;
      const user = await tx.insertInto('users')
        .values({ enterprise_number: e, first_name: m.first, last_name: m.last, email: `${m.ext}@june.example` })
        .returning('id').executeTakeFirstOrThrow();
      await tx.insertInto('user_internal_phones')
        .values({ enterprise_number: e, phone_number: m.ext, user_id: user.id })
        .onConflict((oc) => oc.columns(['enterprise_number', 'phone_number']).doUpdateSet({ user_id: user.id }))
        .execute();
    }
    await tx.insertInto('gsm_lines')
      .values({ enterprise_number: e, line_id: DEMO.gsmLine.lineId, line_name: DEMO.gsmLine.name, phone_number: DEMO.gsmLine.phone, operator: DEMO.gsmLine.operator })
      .onConflict((oc) => oc.columns(['enterprise_number', 'line_id']).doNothing())
      .execute();
    await tx.insertInto('customers')
      .values({ enterprise_number: e, phone_e164: DEMO.customer.phone, first_name: DEMO.customer.first, last_name: DEMO.customer.last, enterprise_name: DEMO.customer.company })
      .onConflict((oc) => oc.columns(['enterprise_number', 'phone_e164']).doNothing())
      .execute();
  });
}
