import { afterAll, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '@callpipe/db';
import { processorDeps } from '../../../../test/support/processorDeps.js';
import { chatsOfJob, type TelegramJob } from '@callpipe/queues';
import { testConfig, uniqueEnterprise, waitFor } from '../../../../test/support/testEnv.js';
import { enqueueSyncs } from './fanOut.js';
import { RecipientsCache } from './recipients.js';

const { db, pool, producers, close } = processorDeps('telegram-fanout-test');
afterAll(close);

describe('telegram sync triggers', () => {
  it('fold into one waiting sync per call, naming every recipient, while none has started; a merge trigger is never folded', async () => {
    const e = uniqueEnterprise();
    const bot = `123456:AAH-fanout-test-${e.number}`;
    await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: bot }).execute();
    await db.insertInto('telegram_users').values([
      { tg_id: 1001, bot_token: bot, enterprise_number: e.number, role: 'full' },
      { tg_id: 1002, bot_token: bot, enterprise_number: e.number, role: 'brief' },
    ]).execute();
    const trigger = (eventType: string, merged: string[] = []) => enqueueSyncs(db, producers, { enterprise: e.number, callId: 'c1', merged, eventType, timeZone: 'Europe/Minsk' });
    // No worker runs: every trigger finds the first ones still waiting.
    for (const t of ['start', 'dial', 'bridge', 'hangup']) expect(await trigger(t)).toBe(2);
    const chatsOf = (j: { data: TelegramJob }) => chatsOfJob(j.data).map((c) => `${c.chatId}:${c.role}`).sort();
    let waiting = (await producers.queue('telegram').getJobs(['waiting'])).filter((j) => j.data.enterprise === e.number);
    expect(waiting).toHaveLength(1);
    expect(chatsOf(waiting[0]!)).toEqual(['1001:full', '1002:brief']);
    await trigger('bridge', ['c2']);
    waiting = (await producers.queue('telegram').getJobs(['waiting'])).filter((j) => j.data.enterprise === e.number);
    expect(waiting).toHaveLength(2);
    const merge = waiting.filter((j) => j.data.absorbed.includes('c2'));
    expect(merge).toHaveLength(1);
    expect(chatsOf(merge[0]!)).toEqual(['1001:full', '1002:brief']);
  });

  it('without a listener, reuse each enterprise\'s recipients while fresh: a chat linked meanwhile is named once the list is read again', async () => {
    const e = uniqueEnterprise();
    const bot = `123456:AAH-fanout-cache-${e.number}`;
    await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: bot }).execute();
    await db.insertInto('telegram_users').values({ tg_id: 3001, bot_token: bot, enterprise_number: e.number, role: 'full' }).execute();
    const cache = new RecipientsCache({ liveMs: 60_000, fallbackMs: 300 });
    const trigger = (callId: string) => enqueueSyncs(db, producers, { enterprise: e.number, callId, merged: [], eventType: 'dial', timeZone: 'Europe/Minsk' }, cache);
    expect(await trigger('k1')).toBe(1);
    await db.insertInto('telegram_users').values({ tg_id: 3002, bot_token: bot, enterprise_number: e.number, role: 'brief' }).execute();
    expect(await trigger('k2')).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect(await trigger('k3')).toBe(2);
    const jobs = (await producers.queue('telegram').getJobs(['waiting'])).filter((j) => j.data.enterprise === e.number);
    expect(Object.fromEntries(jobs.map((j) => [j.data.callId, chatsOfJob(j.data).length]))).toEqual({ k1: 1, k2: 1, k3: 2 });
  });

  it('listening, keep each enterprise\'s recipients until telegram_users or enterprises change, then read them again at once', async () => {
    const e = uniqueEnterprise();
    const bot = `123456:AAH-fanout-live-${e.number}`;
    await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: bot }).execute();
    await db.insertInto('telegram_users').values({ tg_id: 4001, bot_token: bot, enterprise_number: e.number, role: 'full' }).execute();
    let queries = 0;
    const counted = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (ev) => { if (ev.level === 'query') queries += 1; } });
    const cache = new RecipientsCache();
    await cache.listen(testConfig().databaseUrl, () => undefined);
    try {
      expect(cache.live).toBe(true);
      const names = async () => (await cache.of(counted, e.number)).map((r) => r.chatId).sort();
      expect(await names()).toEqual(['4001']);
      const read = queries;
      expect(await names()).toEqual(['4001']);
      expect(queries).toBe(read);
      // A chat linked: the next read names it without waiting for its expiry (60 s while listening).
      await db.insertInto('telegram_users').values({ tg_id: 4002, bot_token: bot, enterprise_number: e.number, role: 'brief' }).execute();
      await waitFor(async () => (await names()).length === 2, 'the linked chat named', 5000);
      // A row changed behind the trigger's back (disabled for that statement) tells nobody...
      const silently = (tgId: string, active: boolean) => db.transaction().execute(async (trx) => {
        await sql`ALTER TABLE telegram_users DISABLE TRIGGER telegram_users_changed`.execute(trx);
        await trx.updateTable('telegram_users').set({ active }).where('tg_id', '=', tgId).where('bot_token', '=', bot).execute();
        await sql`ALTER TABLE telegram_users ENABLE TRIGGER telegram_users_changed`.execute(trx);
      });
      await silently('4002', false);
      // ...until the enterprise changes: that drops the lists too.
      await db.updateTable('enterprises').set({ updated_at: new Date() }).where('number', '=', e.number).execute();
      await waitFor(async () => (await names()).length === 1, 'the deactivated chat dropped', 5000);
      // A read that began before a drop is not kept: the next read goes to PostgreSQL again.
      cache.drop();
      const reading = cache.of(counted, e.number);
      cache.drop();
      expect((await reading).map((r) => r.chatId)).toEqual(['4001']);
      await silently('4002', true);
      expect(await names()).toEqual(['4001', '4002']);
    } finally {
      await cache.stop();
    }
    expect(cache.live).toBe(false);
  });
});
