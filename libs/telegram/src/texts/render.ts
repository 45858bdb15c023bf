/** One entry point for the telegram processor: the text of any call message, within Telegram's length. */
import { MESSAGE_TEXT_MAX } from '../botApi.js';
import type { CallMessageView, Enrichment, RecipientRole } from './callView.js';
import { bridgeText, dialText, hangupText, startText } from './external.js';
import { internalBridgeText, internalHangupText, internalRingText } from './internal.js';

function textOf(view: CallMessageView, enrichment: Enrichment, role: RecipientRole): string {
  if (view.scope === 'internal') {
    switch (view.kind) {
      case 'start':
      case 'dial': return internalRingText(view, enrichment, role);
      case 'bridge': return internalBridgeText(view, enrichment, role);
      case 'hangup': return internalHangupText(view, enrichment, role);
    }
  }
  switch (view.kind) {
    case 'start': return startText(view, enrichment, role);
    case 'dial': return dialText(view, enrichment, role);
    case 'bridge': return bridgeText(view, enrichment, role);
    case 'hangup': return hangupText(view, enrichment, role);
  }
}

/** The message text; cut with "…" at Telegram's limit (a huge ring group must not make it unsendable). */
export function renderCallMessage(view: CallMessageView, enrichment: Enrichment, role: RecipientRole): string {
  const text = textOf(view, enrichment, role);
  if (text.length <= MESSAGE_TEXT_MAX) return text;
  let cut = MESSAGE_TEXT_MAX - 1;
  // Never split an emoji's surrogate pair.
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}…`;
}
