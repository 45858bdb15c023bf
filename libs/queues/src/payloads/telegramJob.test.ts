import { describe, expect, it } from 'vitest';
import { queues } from '../catalogue.js';
import { chatsOfJob, type TelegramJob } from './telegramJob.js';

const base = { enterprise: '0367', callId: '1759230684.17', absorbed: [], reason: 'dial', at: '2026-12-03T10:00:00Z' };

describe('the telegram payload', () => {
  it('names its chats as a list, or one chat in the shape jobs had before; never none, nor both', () => {
    const valid = (d: unknown) => queues.telegram.validate(d);
    expect(valid({ ...base, chats: [{ chatId: '7055556176', role: 'full' }, { chatId: '-100123', role: 'brief' }] })).toBe(true);
    expect(valid({ ...base, chatId: '7055556176', role: 'brief' })).toBe(true);
    expect(valid(base)).toBe(false);
    expect(valid({ ...base, chats: [] })).toBe(false);
    expect(valid({ ...base, chatId: '7055556176' })).toBe(false);
    expect(valid({ ...base, chats: [{ chatId: 'abc', role: 'full' }] })).toBe(false);
    expect(valid({ ...base, chats: [{ chatId: '1', role: 'full' }], chatId: '1', role: 'full' })).toBe(false);
  });

  it('gives the chats of either shape', () => {
    const list: TelegramJob = { ...base, chats: [{ chatId: '1', role: 'full' }, { chatId: '2', role: 'brief' }] };
    expect(chatsOfJob(list)).toEqual([{ chatId: '1', role: 'full' }, { chatId: '2', role: 'brief' }]);
    expect(chatsOfJob({ ...base, chatId: '3', role: 'brief' })).toEqual([{ chatId: '3', role: 'brief' }]);
  });
});
