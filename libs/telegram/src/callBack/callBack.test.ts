/** The call-back button's data, its note and answers (pure). */
import { describe, expect, it } from 'vitest';
import { callBackData, readCallBackData } from './callbackData.js';
import { callBackAnswers, callBackKeyboard, callBackNote, keepsButton, offersCallBack } from './callBackTexts.js';

describe('callback_data', () => {
  it('names the enterprise and the call in at most 64 bytes, and reads back', () => {
    const data = callBackData({ enterprise: '0367', callRef: '1733000000.7000000000000123' })!;
    expect(data).toBe('cb1:0367:1733000000.7000000000000123');
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(readCallBackData(data)).toEqual({ enterprise: '0367', callRef: '1733000000.7000000000000123' });
  });
  it('gives no data for ids that would not fit or could smuggle separators, and refuses foreign data', () => {
    expect(callBackData({ enterprise: '0367', callRef: 'x'.repeat(60) })).toBeNull();
    expect(callBackData({ enterprise: '03:67', callRef: '1.2' })).toBeNull();
    expect(readCallBackData('cb1:0367:1.2:extra')).toBeNull();
    expect(readCallBackData('other:0367:1.2')).toBeNull();
    expect(readCallBackData(undefined)).toBeNull();
  });
});

describe('texts', () => {
  const at = new Date('2026-12-01T18:50:00Z');
  it('offers the button on a missed or busy inbound call only', () => {
    const base = { scope: 'external' as const, kind: 'hangup' as const, phone: '375291112233', extensions: ['150'], durationSeconds: 0 };
    expect(offersCallBack({ ...base, direction: 'in', outcome: 'missed' })).toBe(true);
    expect(offersCallBack({ ...base, direction: 'in', outcome: 'busy' })).toBe(true);
    expect(offersCallBack({ ...base, direction: 'in', outcome: 'answered' })).toBe(false);
    expect(offersCallBack({ ...base, direction: 'out', outcome: 'missed' })).toBe(false);
  });
  it('notes who called back and when, in the enterprise\'s zone; a failure keeps the button', () => {
    expect(callBackNote({ status: 'placing', userName: 'Иван', extension: '150', claimedAt: at }, 'Europe/Minsk')).toBe('📞 Перезванивает Иван (доб. 150) · 21:50');
    expect(callBackNote({ status: 'placed', userName: 'Иван', extension: '150', claimedAt: at }, 'Europe/Minsk')).toBe('✅ Перезвонил Иван (доб. 150) · 21:50');
    const failed = { status: 'failed' as const, userName: 'Иван', extension: '150', claimedAt: at, resultMessage: 'busy (reason 5)' };
    expect(callBackNote(failed, 'Europe/Minsk')).toContain('busy (reason 5)');
    expect(keepsButton(failed)).toBe(true);
    expect(keepsButton(null)).toBe(true);
    expect(keepsButton({ ...failed, status: 'placed' })).toBe(false);
    expect(callBackKeyboard('cb1:1:2')).toEqual({ inline_keyboard: [[{ text: '📞 Перезвонить', callback_data: 'cb1:1:2' }]] });
  });
  it('keeps the presser\'s answers within answerCallbackQuery\'s 200 characters', () => {
    expect(callBackAnswers.alreadyHandled({ status: 'placing', userName: 'Иван', extension: '150', claimedAt: at }, 'Europe/Minsk'))
      .toBe('Этим звонком уже занимается Иван (доб. 150) с 21:50');
    expect(callBackAnswers.failed('x'.repeat(400)).length).toBe(200);
    expect(callBackAnswers.notLinked()).toContain('не привязан');
  });
});
