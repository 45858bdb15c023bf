/**
 * Texts of external calls (a customer on one side), one function per event kind. Layout: a headline
 * with the customer's phone, then the customer's name, the managers, transfers, the line and the
 * recording, each only when known and allowed for the role.
 */
import type { Enrichment, ExternalBridgeView, ExternalDialView, ExternalHangupView, ExternalStartView, RecipientRole } from './callView.js';
import { formatDuration } from './duration.js';
import { customerLine, lineLine, lines, managerLabel, managersLine, recordLine } from './parts.js';
import { formatPhone } from './phone.js';

/** An outgoing call before it is answered: start and dial read the same. */
function outboundRinging(view: ExternalStartView | ExternalDialView, enrichment: Enrichment, role: RecipientRole): string {
  return lines(`📞 Исходящий вызов на ${formatPhone(view.phone)}`, customerLine(enrichment, role),
    managersLine('👤 Менеджер:', view.extensions, enrichment, role), lineLine(enrichment, role));
}

export function startText(view: ExternalStartView, enrichment: Enrichment, role: RecipientRole): string {
  if (view.direction === 'out') return outboundRinging(view, enrichment, role);
  const phone = formatPhone(view.phone);
  return lines(`📞 Звонок от ${phone}`, customerLine(enrichment, role),
    managersLine('☎️ Звонит:', view.extensions, enrichment, role), lineLine(enrichment, role));
}

export function dialText(view: ExternalDialView, enrichment: Enrichment, role: RecipientRole): string {
  if (view.direction === 'out') return outboundRinging(view, enrichment, role);
  const phone = formatPhone(view.phone);
  return lines(`📞 Дозвон от ${phone}`, customerLine(enrichment, role),
    managersLine('☎️ Звонит:', view.extensions, enrichment, role), lineLine(enrichment, role));
}

export function bridgeText(view: ExternalBridgeView, enrichment: Enrichment, role: RecipientRole): string {
  const phone = formatPhone(view.phone);
  const transferred = view.transferredFrom !== undefined && view.transferredFrom !== view.extension;
  const headline = transferred
    ? `🔀 Переведен: ${phone}`
    : `🔗 Разговор${view.direction === 'out' ? ' (исх.)' : ''}: ${phone}`;
  return lines(headline, customerLine(enrichment, role),
    `👤 Менеджер: ${managerLabel(view.extension, enrichment, role)}`,
    transferred ? `↪️ Перевел: ${managerLabel(view.transferredFrom!, enrichment, role)}` : null,
    lineLine(enrichment, role));
}

function hangupHeadline(view: ExternalHangupView, phone: string): string {
  const inbound = view.direction === 'in';
  switch (view.outcome) {
    case 'answered':
      return `✅ Завершен ${inbound ? 'входящий' : 'исходящий'}: ${phone}, ${formatDuration(view.durationSeconds)}`;
    case 'busy':
      return inbound ? `⛔ Занято: звонок от ${phone}` : `⛔ Занято: ${phone}`;
    case 'missed':
      return inbound ? `❌ Пропущенный звонок от ${phone}` : `❌ Не дозвонились: ${phone}`;
  }
}

export function hangupText(view: ExternalHangupView, enrichment: Enrichment, role: RecipientRole): string {
  const answered = view.outcome === 'answered';
  const transfers = view.transfers ?? [];
  const managers = answered
    ? managersLine('👤 Менеджер:', view.extensions, enrichment, role)
    : managersLine(view.direction === 'in' ? '☎️ Звонил:' : '👤 Менеджер:', view.extensions, enrichment, role);
  return lines(hangupHeadline(view, formatPhone(view.phone)), customerLine(enrichment, role), managers,
    transfers.length > 1 ? `🔀 Переводы: ${transfers.map((e) => managerLabel(e, enrichment, role)).join(' → ')}` : null,
    lineLine(enrichment, role),
    answered ? recordLine(view.recordUrl) : null);
}
