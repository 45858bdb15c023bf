/**
 * Call facts → MoySklad Phone API 1.0 bodies, and MoySklad answers → what we need from them. Pure.
 *
 * A call is one MoySklad "call" entity keyed by our `externalId` (the call's first UniqueId), created
 * when it first rings. Popups are its events: SHOW per manager rung, HIDE_ALL when it ends. MoySklad
 * orders events by `sequence`, so the numbers are derived from the facts, never from a counter: a
 * manager's SHOW is their position among the extensions rung, the closing HIDE_ALL is above any
 * SHOW — a SHOW retried after the close carries a lower sequence and cannot reopen the card.
 * The end (time, duration in ms, recording, the manager who talked) is a PUT on the same call;
 * MoySklad never overwrites a filled field, so the call is created without a manager.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { e164, extensionOfUserId, present, record, text as str } from '../answers.js';
import type { MsSettings } from './settings.js';

export type MsEventType = 'SHOW' | 'STARTTIME' | 'HIDE' | 'HIDE_ALL';

export interface MsMeta {
  meta: { href: string; type: string; mediaType: 'application/json' };
}

export interface MsEvent {
  eventType: MsEventType;
  /** Required except for HIDE_ALL. */
  extension?: string;
  sequence: number;
  employee?: MsMeta;
}

/** PUT /call/{id} and /call/extid/{externalId}: only the fields to set. */
export interface MsCallUpdate {
  extension?: string;
  employee?: MsMeta;
  endTime?: string;
  /** Milliseconds. */
  duration?: number;
  /** Appended to the call's recordings. */
  recordUrl?: string[];
  comment?: string;
  events?: MsEvent[];
}

/** POST /call. */
export interface MsCallCreate extends MsCallUpdate {
  externalId: string;
  number: string;
  isIncoming: boolean;
  startTime: string;
}

/** The HIDE_ALL of a call's close: above every SHOW a call can have. */
export const CLOSE_SEQUENCE = 1_000_000;

/** "YYYY-MM-DD HH:MM:SS" (host wall clock) → MoySklad's "yyyy-MM-dd HH:mm:ss.SSS". */
export function msTime(local: string): string {
  return /\.\d{3}$/.test(local) ? local : `${local}.000`;
}

/** A manager's SHOW sequence: their place among the extensions rung (1-based); one rung later than the facts know comes after them. */
export function showSequence(facts: Pick<CallFacts, 'rung'>, extension: string, indexInBatch: number): number {
  const at = facts.rung.indexOf(extension);
  return at >= 0 ? at + 1 : facts.rung.length + 1 + indexInBatch;
}

export function employeeMeta(settings: Pick<MsSettings, 'jsonApiUrl'>, employeeId: string): MsMeta {
  return { meta: { href: `${settings.jsonApiUrl}/entity/employee/${employeeId}`, type: 'employee', mediaType: 'application/json' } };
}

/** The manager fields: `employee` when employee_mapping knows the extension (MoySklad prefers it), `extension` always. */
export function managerFields(settings: Pick<MsSettings, 'jsonApiUrl' | 'employeeByExtension'>, extension: string): Pick<MsEvent, 'extension' | 'employee'> {
  const id = settings.employeeByExtension.get(extension);
  return { extension, ...(id ? { employee: employeeMeta(settings, id) } : {}) };
}

/** One SHOW per manager, in the order given, each at its own sequence. */
export function showEvents(facts: Pick<CallFacts, 'rung'>, managers: readonly string[], settings: Pick<MsSettings, 'jsonApiUrl' | 'employeeByExtension'>): MsEvent[] {
  const unique = [...new Set(managers)];
  return unique.map((ext, i) => ({ eventType: 'SHOW', ...managerFields(settings, ext), sequence: showSequence(facts, ext, i) }));
}

export function hideAllEvent(): MsEvent {
  return { eventType: 'HIDE_ALL', sequence: CLOSE_SEQUENCE };
}

/** The new call as MoySklad first hears of it: who, which way, when; no manager yet (see above). null without a start time. */
export function newCall(facts: CallFacts & { direction: 'in' | 'out'; customerPhone: string }, events: MsEvent[]): MsCallCreate | null {
  const start = facts.start?.local ?? facts.end?.local;
  if (!start) return null;
  return {
    externalId: facts.callRef, number: e164(facts.customerPhone), isIncoming: facts.direction === 'in', startTime: msTime(start),
    ...(events.length > 0 ? { events } : {}),
  };
}

const OUTCOME_COMMENT: Record<string, string> = { answered: 'Разговор', missed: 'Пропущенный', busy: 'Занято' };

/** The end of the call: host end time, host duration (ms), recording, the manager who talked, how it went. */
export function finishUpdate(facts: CallFacts, settings: Pick<MsSettings, 'jsonApiUrl' | 'employeeByExtension'>): MsCallUpdate {
  return {
    ...(facts.manager ? managerFields(settings, facts.manager) : {}),
    ...(facts.end ? { endTime: msTime(facts.end.local) } : {}),
    ...(facts.durationSec !== null ? { duration: facts.durationSec * 1000 } : {}),
    ...(facts.recordUrl ? { recordUrl: [facts.recordUrl] } : {}),
    ...(facts.outcome ? { comment: OUTCOME_COMMENT[facts.outcome] ?? facts.outcome } : {}),
  };
}

/** History for a call MoySklad never heard of (its popup never went out): the whole call in one POST. */
export function wholeCall(facts: CallFacts & { direction: 'in' | 'out'; customerPhone: string }, settings: Pick<MsSettings, 'jsonApiUrl' | 'employeeByExtension'>): MsCallCreate | null {
  const created = newCall(facts, []);
  return created ? { ...created, ...finishUpdate(facts, settings) } : null;
}

// ---- answers

/** The id at the end of a MoySklad href (".../entity/employee/<id>"). */
export function idFromHref(href: unknown): string | undefined {
  const s = str(href);
  if (!s) return undefined;
  const path = s.split('?')[0]!.replace(/\/+$/, '');
  return str(path.slice(path.lastIndexOf('/') + 1));
}

export interface MsCounterparty {
  id?: string;
  name: string;
  phone?: string;
  email?: string;
  /** The employee responsible for the counterparty (its `owner`). */
  ownerId?: string;
}

/** The first row of GET /entity/counterparty; null when none matched. */
export function readCounterparty(body: unknown): MsCounterparty | null {
  const rows = record(body)?.rows;
  const row = Array.isArray(rows) ? record(rows[0]) : null;
  const name = str(row?.name);
  if (!row || !name) return null;
  const id = str(row.id);
  const phone = str(row.phone);
  const email = str(row.email);
  const ownerId = idFromHref(record(record(row.owner)?.meta)?.href);
  return { name, ...present({ id, phone, email, ownerId }) };
}

export interface MsEmployee {
  id: string;
  extension: string;
}

/** GET /employee of the Phone API: employees with their extension (MoySklad spells the field `extention`). */
export function readEmployees(body: unknown): MsEmployee[] {
  const b = record(body);
  const list = Array.isArray(b?.employees) ? b.employees : Array.isArray(b?.rows) ? b.rows : [];
  const out: MsEmployee[] = [];
  for (const item of list as unknown[]) {
    const e = record(item);
    const id = idFromHref(record(e?.meta)?.href);
    const extension = str(e?.extention) ?? str(e?.extension);
    if (id && extension) out.push({ id, extension });
  }
  return out;
}

/** The extension of an employee: employee_mapping first (no request), else the Phone API's list. */
export function extensionOfEmployee(employeeId: string, settings: Pick<MsSettings, 'employeeByExtension'>, listed: readonly MsEmployee[] = []): string | null {
  return extensionOfUserId(settings.employeeByExtension, employeeId) ?? listed.find((e) => e.id === employeeId)?.extension ?? null;
}

/** The MoySklad id of a created call (POST /call answers the call). */
export function readCallId(body: unknown): string | undefined {
  return str(record(body)?.id);
}
