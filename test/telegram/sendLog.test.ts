/**
 * A send's timeline entry: applied in place, in the workers' batches (no call-log job), and queued
 * for the call log when applying it fails, so the entry of a message that is out is never lost.
 */
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis, Producers, type CallLogTelegramEntry } from '@callpipe/queues';
import { TelegramSandbox } from '../../apps/sandbox/src/telegram/index.js';
import { applyEntry } from '../../apps/workers/src/callLog/applyEntry.js';
import { entryInput } from '../../apps/workers/src/callLog/entryInput.js';
import { eventEntryOf } from '../../apps/workers/src/fanOut/callLogInline.js';
import { CallLogPartitions } from '../../apps/workers/src/callLog/partitions.js';
import { telegramSyncDeps } from '../../apps/workers/src/telegram/deps.js';
import { syncChat } from '../../apps/workers/src/telegram/sync.js';
import { testLogger, waitFor } from '../support/testEnv.js';
import { config, pipelinePerFile, scenario, type Pipeline } from './pipelineHarness.js';

const telegram = new TelegramSandbox();
let base = '';
let p: Pipeline;
pipelinePerFile(telegram, (s) => { ({ base, p } = s); });

describe('the timeline entry of a Telegram send', () => {
  it('is applied in place by a batching workers process: every message sent is in its call\'s timeline, and no call-log job carries it', async () => {
    const s = await scenario(p.db, ['1-1', '1-2', '2-1']);
    const callLogBefore = await p.producers.queue('callLog').getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'], 0, 5000);
    p.start(1, base, { chatIntervalMs: 1, chatBurst: 100, groupPerMinute: 10_000, botPerSecond: 10_000 });
    await p.producers.addBulk('events', s.events.map((e) => ({ name: e.eventType, data: e })));
    for (const r of s.recipients) {
      await waitFor(async () => {
        const got = telegram.state.messages(r.chatId).map((m) => m.text).sort();
        return JSON.stringify(got) === JSON.stringify(s.expectedTexts.get(r.chatId)) || undefined;
      }, `chat ${r.chatId} to show every call's final message`, 60_000, 200);
    }
    await waitFor(async () => (await p.idle()) || undefined, 'every queue to drain', 60_000, 200);
    const sent = s.recipients.flatMap((r) => telegram.state.callLog({ chatId: r.chatId, method: 'sendMessage' }))
      .filter((c) => c.ok).map((c) => ({ chatId: c.chatId, messageId: c.resultMessageId }));
    expect(sent.length).toBeGreaterThanOrEqual(s.callCount * s.recipients.length);
    const logged = await p.db.selectFrom('call_trace_entries').select(['data']).where('enterprise_number', '=', s.enterprise).where('kind', '=', 'telegram').execute();
    const sendsLogged = new Set(logged.flatMap((e) => {
      const d = e.data as { action?: string; chatId?: string; messageId?: number };
      return d.action === 'send' ? [`${d.chatId}:${d.messageId}`] : [];
    }));
    for (const m of sent) expect(sendsLogged.has(`${m.chatId}:${m.messageId}`), `message ${m.messageId} to ${m.chatId}`).toBe(true);
    // Every message deleted is in the timeline too: in the entry of the send that replaced it, or on its own.
    const deleted = s.recipients.flatMap((r) => telegram.state.callLog({ chatId: r.chatId, method: 'deleteMessage' })).filter((c) => c.ok);
    expect(deleted.length).toBeGreaterThan(0);
    const deletesLogged = logged.flatMap((e) => {
      const d = e.data as { action?: string; chatId?: string; messageId?: number; replaced?: number };
      return d.action === 'delete' ? [`${d.chatId}:${d.messageId}`] : d.replaced !== undefined ? [`${d.chatId}:${d.replaced}`] : [];
    });
    expect(deletesLogged.sort()).toEqual(deleted.map((c) => `${c.chatId}:${c.messageId}`).sort());
    // A replacement is one entry (the send naming what it replaced), not a send and a delete; a delete
    // stands alone only when no send followed it (a merged call's message taken down).
    const replacedKeys = logged.flatMap((e) => {
      const d = e.data as { action?: string; chatId?: string; replaced?: number };
      return d.action === 'send' && d.replaced !== undefined ? [`${d.chatId}:${d.replaced}`] : [];
    });
    expect(replacedKeys.length).toBeGreaterThan(0);
    expect(new Set(deletesLogged).size).toBe(deletesLogged.length);
    const callLogAfter = await p.producers.queue('callLog').getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'], 0, 5000);
    const before = new Set(callLogBefore.map((j) => j.id));
    expect(callLogAfter.filter((j) => !before.has(j.id) && j.data.enterprise === s.enterprise)).toEqual([]);
  });

  it('goes to the call-log queue when applying it in place fails (the fault injected and seen)', async () => {
    const s = await scenario(p.db, ['1-1']);
    const partitions = new CallLogPartitions();
    for (const e of s.events) await applyEntry(p.db, partitions, entryInput(eventEntryOf(e)));
    const redis: Redis = createRedis(config.redisUrl, 'worker', 'send-log-test');
    const producers = new Producers(redis, config.queuePrefix);
    try {
      const tried: CallLogTelegramEntry[] = [];
      const deps = {
        ...telegramSyncDeps({ redis, prefix: config.queuePrefix, apiRoot: base, timeoutMs: 3000 }),
        applyLogEntry: async (entry: CallLogTelegramEntry) => {
          tried.push(entry);
          throw new Error('injected: the database went away');
        },
      };
      const chat = s.recipients[0]!;
      // The record's id, not the first event's UniqueId: a call whose pieces met is kept under its smallest
      // id, which the first event's is only by chance (this test failed ~1 run in 5 on that).
      const { call_id: callId } = await p.db.selectFrom('call_ids').select('call_id')
        .where('enterprise_number', '=', s.enterprise).where('id_value', '=', s.events[0]!.body.UniqueId as string).executeTakeFirstOrThrow();
      const outcome = await syncChat(p.db, testLogger(), producers, deps, {
        enterprise: s.enterprise, callId, chatId: String(chat.chatId), role: chat.role, absorbed: [], reason: 'hangup', at: new Date().toISOString(),
      });
      expect(outcome).toEqual(['sent']);
      expect(tried.map((t) => t.action)).toEqual(['send']);
      const queued = await producers.queue('callLog').getJobs(['waiting', 'delayed', 'active', 'completed'], 0, 5000);
      const mine = queued.filter((j) => j.data.enterprise === s.enterprise && j.data.kind === 'telegram');
      expect(mine.map((j) => j.data)).toEqual(tried);
    } finally {
      await producers.close();
      redis.disconnect();
    }
  });
});
