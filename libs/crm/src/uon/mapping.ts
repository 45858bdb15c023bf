/**
 * Call facts → U-ON form bodies, and U-ON answers → what we need. Pure.
 *
 * U-ON has no call card to open and close: the popup is a notification (`notification/create`, a
 * flash message on the manager's screen) per manager rung who has a U-ON id; the history is one
 * `call_history/create` per external call: host start, host duration in seconds, direction
 * (1 outgoing, 2 incoming), the manager who talked, the recording.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { e164, present, textOrNumber as str } from '../answers.js';
import type { UonSettings } from './settings.js';

/** U-ON's direction codes. */
export const UON_DIRECTION = { out: '1', in: '2' } as const;

export type ExternalFacts = CallFacts & { direction: 'in' | 'out'; customerPhone: string };

/** The U-ON manager ids of the managers rung, in order, once each; extensions without one are left out. */
export function managersToNotify(s: Pick<UonSettings, 'managerByExtension'>, extensions: readonly string[]): string[] {
  const out: string[] = [];
  for (const ext of extensions) {
    const id = s.managerByExtension.get(ext);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}

/** The notification's text: which way, the number, the customer's name when U-ON knows it. */
export function notificationText(facts: ExternalFacts, customerName: string | null): string {
  const way = facts.direction === 'in' ? 'Входящий звонок' : 'Исходящий звонок';
  return `${way}: ${e164(facts.customerPhone)}${customerName ? ` — ${customerName}` : ''}`;
}

export function notificationForm(text: string, managerId: string): Record<string, string> {
  return { text, manager_id: managerId };
}

/** call_history/create. null without a host start time (U-ON requires `start`). */
export function callHistoryForm(facts: ExternalFacts, s: Pick<UonSettings, 'managerByExtension'>): Record<string, string> | null {
  const start = facts.start?.local;
  if (!start) return null;
  const managerId = facts.manager ? s.managerByExtension.get(facts.manager) : undefined;
  return {
    phone: facts.customerPhone,
    start,
    duration: String(facts.durationSec ?? 0),
    direction: UON_DIRECTION[facts.direction],
    ...(managerId ? { manager_id: managerId } : {}),
    ...(facts.recordUrl ? { record_link: facts.recordUrl } : {}),
  };
}

// ---- answers

export interface UonClient {
  id?: string;
  name: string;
  email?: string;
  company?: string;
  /** The U-ON manager responsible for the client. */
  managerId?: string;
}

/** The first client of `user/phone/{phone}` (`{users: [...]}`); null when none. */
export function readClient(body: unknown): UonClient | null {
  const users = typeof body === 'object' && body !== null ? (body as { users?: unknown }).users : undefined;
  const u = Array.isArray(users) ? users[0] as Record<string, unknown> | undefined : undefined;
  if (!u || typeof u !== 'object') return null;
  const name = [str(u.u_surname), str(u.u_name), str(u.u_sname)].filter(Boolean).join(' ') || str(u.u_company);
  if (!name) return null;
  const id = str(u.u_id);
  const email = str(u.u_email);
  const company = str(u.u_company);
  const managerId = str(u.manager_id);
  return { name, ...present({ id, email, company, managerId }) };
}
