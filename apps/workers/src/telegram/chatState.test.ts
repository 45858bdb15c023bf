import { afterAll, describe, expect, it } from 'vitest';
import { shownKey, syncLockKey } from '@callpipe/telegram';
import { processorDeps } from '../../../../test/support/processorDeps.js';
import { SyncBusy, withSyncLock, withSyncLocks, writeShown } from './chatState.js';

const { redis, config, close } = processorDeps('chat-state-test');
afterAll(close);
const prefix = config.queuePrefix;

describe('the (chat, call) locks of one sync', () => {
  it('are taken all at once with what each chat shows, in the order asked, and released together', async () => {
    const call = `locks-${Date.now()}`;
    await writeShown(redis, prefix, '2', call, { messageId: 7, text: 'hi', stage: 'ringing' });
    const seen = await withSyncLocks(redis, prefix, ['1', '2'], call, async (shown) => {
      expect(await redis.exists(syncLockKey(prefix, '1', call), syncLockKey(prefix, '2', call))).toBe(2);
      return shown;
    });
    expect(seen).toEqual([null, { messageId: 7, text: 'hi', stage: 'ringing' }]);
    expect(await redis.exists(syncLockKey(prefix, '1', call), syncLockKey(prefix, '2', call))).toBe(0);
    await redis.del(shownKey(prefix, '2', call));
  });

  it('a chat\'s lock goes with the write of what it shows: that chat is free at once, the others at the end', async () => {
    const call = `lease-${Date.now()}`;
    const replies = await withSyncLocks(redis, prefix, ['1', '2'], call, async (_shown, leases) => {
      const r = await writeShown(redis, prefix, '1', call, { messageId: 8, text: 'one', stage: 'talking' }, (m) => m.get(shownKey(prefix, '1', call)), leases[0]);
      expect(leases.map((l) => l.released)).toEqual([true, false]);
      // Chat 1 is free for the next sync while this one still holds chat 2.
      expect(await withSyncLock(redis, prefix, '1', call, async (shown) => shown?.text)).toBe('one');
      expect(await redis.exists(syncLockKey(prefix, '2', call))).toBe(1);
      return r;
    });
    expect(replies).toEqual([JSON.stringify({ messageId: 8, text: 'one', stage: 'talking' })]);
    expect(await redis.exists(syncLockKey(prefix, '1', call), syncLockKey(prefix, '2', call))).toBe(0);
    await redis.del(shownKey(prefix, '1', call));
  });

  it('are all or none: one chat held elsewhere, the sync takes none of them and gives up with SyncBusy', async () => {
    const call = `held-${Date.now()}`;
    let release!: () => void;
    const holding = withSyncLock(redis, prefix, '2', call, () => new Promise<void>((r) => { release = r; }));
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    let ranWork = false;
    const other = withSyncLocks(redis, prefix, ['1', '2'], call, async () => { ranWork = true; });
    // Meanwhile chat 1's lock is never left taken: another sync of chat 1 alone gets it at once.
    await new Promise((r) => setTimeout(r, 200));
    expect(await withSyncLock(redis, prefix, '1', call, async () => 'got it')).toBe('got it');
    await expect(other).rejects.toBeInstanceOf(SyncBusy);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2_900);
    expect(ranWork).toBe(false);
    expect(await redis.exists(syncLockKey(prefix, '1', call))).toBe(0);
    release();
    await holding;
    expect(await redis.exists(syncLockKey(prefix, '2', call))).toBe(0);
  });
});
