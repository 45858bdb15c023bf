/**
 * What the call-back adds to a call's message: nothing for most calls; for a missed inbound call's
 * final message, the "📞 Перезвонить" button until someone has called back (a failed attempt brings it
 * back), and the note of who called back and when once someone pressed it (read from call_backs).
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { callBackData, callBackKeyboard, callBackNote, keepsButton, offersCallBack, type CallViewResult, type InlineKeyboard } from '@callpipe/telegram';
import { readCallBack } from './claims.js';

export interface CallBackPart {
  /** The call is one that can be called back (its final message offers it). */
  offered: boolean;
  /** Appended to the message text ("" or "\n\n<note>"). */
  note: string;
  keyboard?: InlineKeyboard;
}

const NONE: CallBackPart = { offered: false, note: '' };

export async function callBackPart(db: Kysely<Database>, enterprise: string, callRef: string, want: CallViewResult, timeZone: string): Promise<CallBackPart> {
  if (want.stage !== 'ended' || !offersCallBack(want.view)) return NONE;
  const data = callBackData({ enterprise, callRef });
  if (!data) return NONE;
  const state = await readCallBack(db, enterprise, callRef);
  return {
    offered: true,
    note: state ? `\n\n${callBackNote(state, timeZone)}` : '',
    ...(keepsButton(state) ? { keyboard: callBackKeyboard(data) } : {}),
  };
}
