import { afterAll, describe, expect, it } from 'vitest';
import { uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { processorDeps } from '../../../../test/support/processorDeps.js';
import { chatsOfJob, type TelegramJob } from '@callpipe/queues';
import { TtlMap } from '@callpipe/config-cache';
import { enqueueSyncs } from './fanOut.js';
import type { Recipient } from './recipients.js';

const { db, producers, close } = processorDeps('telegram-fanout-test');
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

  it('reuse each enterprise\'s recipients while fresh: a chat linked meanwhile is named once the list is read again', async () => {
    const e = uniqueEnterprise();
    const bot = `123456:AAH-fanout-cache-${e.number}`;
    await db.insertInto('enterprises').values({ number: e.number, name: e.name, name2: e.token, bot_token: bot }).execute();
    await db.insertInto('telegram_users').values({ tg_id: 3001, bot_token: bot, enterprise_number: e.number, role: 'full' }).execute();
    const cache = new TtlMap<Recipient[]>(300, 10);
    const trigger = (callId: string) => enqueueSyncs(db, producers, { enterprise: e.number, callId, merged: [], eventType: 'dial', timeZone: 'Europe/Minsk' }, cache);
    expect(await trigger('k1')).toBe(1);
    await db.insertInto('telegram_users').values({ tg_id: 3002, bot_token: bot, enterprise_number: e.number, role: 'brief' }).execute();
    expect(await trigger('k2')).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect(await trigger('k3')).toBe(2);
    const jobs = (await producers.queue('telegram').getJobs(['waiting'])).filter((j) => j.data.enterprise === e.number);
    expect(Object.fromEntries(jobs.map((j) => [j.data.callId, chatsOfJob(j.data).length]))).toEqual({ k1: 1, k2: 1, k3: 2 });
  });
});
