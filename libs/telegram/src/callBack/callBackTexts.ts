/**
 * The call-back's words: the button, the note the call's final message carries once someone pressed
 * it (who and when; how the PBX answered), and the short answers the presser sees (answerCallbackQuery,
 * at most 200 characters). Pure.
 */
import type { CallMessageView } from '../texts/callView.js';

export const CALL_BACK_BUTTON_TEXT = '📞 Перезвонить';
/** answerCallbackQuery's text limit. */
export const CALLBACK_ANSWER_MAX = 200;

export type CallBackStatus = 'placing' | 'placed' | 'failed';

export interface CallBackState {
  status: CallBackStatus;
  /** The presser as Telegram names them. */
  userName: string;
  extension: string;
  claimedAt: Date;
  /** The PBX's reason when it failed. */
  resultMessage?: string | null;
}

export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** An inbound call nobody answered gets the button (its final message only). */
export function offersCallBack(view: CallMessageView): boolean {
  return view.scope === 'external' && view.kind === 'hangup' && view.direction === 'in' && view.outcome !== 'answered';
}

export function callBackKeyboard(data: string): InlineKeyboard {
  return { inline_keyboard: [[{ text: CALL_BACK_BUTTON_TEXT, callback_data: data }]] };
}

/** A failed call-back leaves the button for another try. */
export function keepsButton(state: CallBackState | null): boolean {
  return state === null || state.status === 'failed';
}

const clock = (at: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('ru-RU', { timeZone, hour: '2-digit', minute: '2-digit' }).format(at);

const who = (s: CallBackState): string => `${s.userName} (доб. ${s.extension})`;

/** The line appended to the call's final message. */
export function callBackNote(s: CallBackState, timeZone: string): string {
  const at = clock(s.claimedAt, timeZone);
  switch (s.status) {
    case 'placing': return `📞 Перезванивает ${who(s)} · ${at}`;
    case 'placed': return `✅ Перезвонил ${who(s)} · ${at}`;
    case 'failed': return `⚠️ Не удалось перезвонить (${who(s)}, ${at}): ${s.resultMessage ?? 'АТС не ответила'}`;
  }
}

const fit = (text: string): string => (text.length <= CALLBACK_ANSWER_MAX ? text : `${text.slice(0, CALLBACK_ANSWER_MAX - 1)}…`);

export const callBackAnswers = {
  started: (extension: string, phone: string) => fit(`Звоним: сначала ваш телефон (доб. ${extension}), затем клиенту ${phone}`),
  alreadyHandled: (s: CallBackState, timeZone: string) =>
    fit(`Этим звонком уже занимается ${who(s)} с ${clock(s.claimedAt, timeZone)}`),
  notLinked: () => fit('Ваш Telegram не привязан к внутреннему номеру, поэтому перезвонить отсюда нельзя. Попросите администратора указать ваш добавочный.'),
  notMissed: () => fit('Перезвонить можно только по пропущенному входящему звонку.'),
  noAmi: () => fit('У предприятия не настроено подключение к АТС (AMI): перезвонить не получится.'),
  failed: (reason: string) => fit(`Не удалось перезвонить: ${reason}`),
  unknownCall: () => fit('Звонок не найден: возможно, он слишком старый.'),
};
