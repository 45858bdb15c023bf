/**
 * The pieces every call message is made of: how a manager is named for a role, and the optional
 * lines (customer, line, recording) that appear only when their data is there and the role may see it.
 */
import type { Enrichment, RecipientRole } from './callView.js';

/**
 * A manager as a recipient sees them: full "Джуновый Джулай (доб. 150)", brief "Джуновый Джулай";
 * without a known name, "доб. 150" for both.
 */
export function managerLabel(extension: string, enrichment: Enrichment, role: RecipientRole): string {
  const name = enrichment.managerNames?.[extension]?.trim();
  if (!name) return `доб. ${extension}`;
  return role === 'full' ? `${name} (доб. ${extension})` : name;
}

export function managerList(extensions: readonly string[], enrichment: Enrichment, role: RecipientRole): string {
  return [...new Set(extensions)].map((e) => managerLabel(e, enrichment, role)).join(', ');
}

/** The customer's name: full role only, and only when the lookup found one. */
export function customerLine(enrichment: Enrichment, role: RecipientRole): string | null {
  const name = enrichment.customerName?.trim();
  return role === 'full' && name ? `💬 Клиент: ${name}` : null;
}

/** The line's name: full role only. */
export function lineLine(enrichment: Enrichment, role: RecipientRole): string | null {
  const name = enrichment.lineName?.trim();
  return role === 'full' && name ? `📱 Линия: ${name}` : null;
}

export function recordLine(recordUrl: string | undefined): string | null {
  const url = recordUrl?.trim();
  return url ? `🎧 Запись: ${url}` : null;
}

/** A labelled list of managers, or nothing when there are none. */
export function managersLine(prefix: string, extensions: readonly string[], enrichment: Enrichment, role: RecipientRole): string | null {
  return extensions.length > 0 ? `${prefix} ${managerList(extensions, enrichment, role)}` : null;
}

/** The message: its lines in order, the missing ones left out. */
export function lines(...parts: (string | null)[]): string {
  return parts.filter((p): p is string => p !== null).join('\n');
}
