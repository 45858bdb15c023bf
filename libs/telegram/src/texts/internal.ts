/**
 * Texts of internal calls (extension to extension), one function per event kind. No customer and no
 * line, so full and brief differ only in how managers are named.
 */
import type { Enrichment, InternalBridgeView, InternalHangupView, InternalRingView, RecipientRole } from './callView.js';
import { formatDuration } from './duration.js';
import { lines, managerLabel, managerList, recordLine } from './parts.js';

export function internalRingText(view: InternalRingView, enrichment: Enrichment, role: RecipientRole): string {
  const callees = view.callees.length > 0 ? managerList(view.callees, enrichment, role) : '…';
  return lines('🛎️ Внутренний звонок', `${managerLabel(view.caller, enrichment, role)} → ${callees}`);
}

export function internalBridgeText(view: InternalBridgeView, enrichment: Enrichment, role: RecipientRole): string {
  return `🔗 Разговор (внутр.): ${managerLabel(view.caller, enrichment, role)} ↔ ${managerLabel(view.callee, enrichment, role)}`;
}

export function internalHangupText(view: InternalHangupView, enrichment: Enrichment, role: RecipientRole): string {
  const caller = managerLabel(view.caller, enrichment, role);
  const callees = view.callees.length > 0 ? managerList(view.callees, enrichment, role) : '…';
  switch (view.outcome) {
    case 'answered':
      return lines(`✅ Завершен (внутр.): ${caller} ↔ ${callees}, ${formatDuration(view.durationSeconds)}`, recordLine(view.recordUrl));
    case 'busy':
      return `⛔ Занято (внутр.): ${caller} → ${callees}`;
    case 'missed':
      return `❌ Не отвечен (внутр.): ${caller} → ${callees}`;
  }
}
