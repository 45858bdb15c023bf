/**
 * Parser for a host's failure log: one line per event the host could not deliver,
 * `date|event|UniqueId|status|body|time`. Pure; replay.ts does the sending.
 */
import { isEventType, type EventType } from '@callpipe/events';

/** The status a host writes when the old server did answer 200: nothing to replay. */
export const DELIVERED_STATUS = '<Response [200]>';

export type FailureLogEntry =
  /** A failed event whose body the host kept: send it to /recovery/{event}. */
  | { kind: 'replayable'; lineNo: number; date: string; event: EventType; uniqueId: string; status: string; body: string; timeSec: number | null }
  /** The host logged it but it had been acked. */
  | { kind: 'delivered'; lineNo: number; date: string; event: EventType; uniqueId: string; status: string }
  /** Well formed, but the body was not kept (or is not a JSON object): cannot be replayed. */
  | { kind: 'unreplayable'; lineNo: number; date: string; event: EventType; uniqueId: string; status: string; reason: string }
  /** Not a failure-log line at all. */
  | { kind: 'invalid'; lineNo: number; raw: string; reason: string };

const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Hosts write an empty status either as nothing or as Python's repr of an empty string. */
function normalizeStatus(status: string): string {
  const s = status.trim();
  return s === "''" || s === '""' ? '' : s;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** One line; null for a blank line. */
export function parseFailureLine(raw: string, lineNo: number): FailureLogEntry | null {
  const line = raw.replace(/\r$/, '');
  if (line.trim() === '') return null;
  const parts = line.split('|');
  // The body is JSON and may itself contain '|': it is everything between the 4th and the last separator.
  if (parts.length < 6) return { kind: 'invalid', lineNo, raw: line, reason: 'expected date|event|UniqueId|status|body|time' };
  const [date = '', event = '', uniqueId = '', rawStatus = ''] = parts;
  const time = (parts.at(-1) ?? '').trim();
  const body = parts.slice(4, -1).join('|').trim();
  if (!DATE.test(date.trim())) return { kind: 'invalid', lineNo, raw: line, reason: `bad date "${date}"` };
  const type = event.trim();
  if (!isEventType(type)) return { kind: 'invalid', lineNo, raw: line, reason: `unknown event "${event}"` };
  const timeSec = time === '' ? null : Number(time);
  if (timeSec !== null && Number.isNaN(timeSec)) return { kind: 'invalid', lineNo, raw: line, reason: `bad time "${time}"` };
  const base = { lineNo, date: date.trim(), event: type, uniqueId: uniqueId.trim(), status: normalizeStatus(rawStatus) };
  if (base.status === DELIVERED_STATUS) return { kind: 'delivered', ...base };
  if (body === '') return { kind: 'unreplayable', ...base, reason: 'body not kept' };
  if (!isJsonObject(body)) return { kind: 'unreplayable', ...base, reason: 'body is not a JSON object' };
  return { kind: 'replayable', ...base, body, timeSec };
}

export function parseFailureLog(text: string): FailureLogEntry[] {
  return text.split('\n').flatMap((line, i) => parseFailureLine(line, i + 1) ?? []);
}
