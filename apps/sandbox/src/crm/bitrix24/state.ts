/** The sandbox Bitrix24's memory per portal: users, CRM entities, and registered external calls. */

export interface B24User { id: number; name: string; innerPhone?: string }
export interface B24Entity { type: 'CONTACT' | 'COMPANY' | 'LEAD'; id: number; name: string; phone: string; assignedId: number }

export interface B24Call {
  callId: string;
  externalCallId?: string;
  phone: string;
  type: number;
  userId: number;
  line?: string;
  startDate: string;
  registeredAtMs: number;
  entity?: { type: string; id: number };
  /** Users whose card is open now, since when. */
  shownTo: Map<number, number>;
  finished?: { userId: number; duration: number; statusCode: string; recordUrl?: string; atMs: number };
}

export interface B24Portal {
  name: string;
  /** The inbound webhook this portal answers to: /rest/<userId>/<code>/. */
  webhook: { userId: string; code: string } | null;
  /** A USER_PHONE_INNER first seen becomes a user (portals made on first request). */
  autoUsers: boolean;
  users: B24User[];
  entities: B24Entity[];
  calls: B24Call[];
  /** Cards taken down: user, phone; newest last. */
  hidden: { userId: number; phone: string; atMs: number }[];
}

export function newPortal(name: string, over: Partial<B24Portal> = {}): B24Portal {
  return { name, webhook: null, autoUsers: true, users: [], entities: [], calls: [], hidden: [], ...over };
}

export const digits = (s: string): string => s.replace(/\D/g, '');

export function entitiesByPhone(p: B24Portal, phone: string): B24Entity[] {
  const d = digits(phone);
  if (d.length < 5) return [];
  const tail = d.slice(-Math.min(10, d.length));
  const order = { CONTACT: 0, COMPANY: 1, LEAD: 2 };
  return p.entities.filter((e) => digits(e.phone).endsWith(tail)).sort((a, b) => order[a.type] - order[b.type]);
}

export function hideCard(p: B24Portal, call: B24Call, userId: number, now: number): void {
  if (call.shownTo.delete(userId)) p.hidden.push({ userId, phone: call.phone, atMs: now });
}
