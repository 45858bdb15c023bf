/**
 * The PBX's clock: hosts send local wall-clock times without a zone ("2025-09-30 11:15:02"). They are
 * read here, once, with the enterprise's IANA time zone (Intl, no dependency), into an instant plus
 * the wall clock as sent. Pure but for a bounded cache of zone offsets (offsetAt), which answers as Intl would.
 */
import type { HostTime } from './types.js';

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a zone Intl knows ("Europe/Minsk", "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface Wall { y: number; mo: number; d: number; h: number; mi: number; s: number }

function zoneWallOf(ms: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute!, s: parts.second! };
}

const utcOf = (w: Wall): number => Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);

/** The zone's offset at a whole second, read from Intl. */
function zoneOffsetAt(whole: number, timeZone: string): number {
  return utcOf(zoneWallOf(whole, timeZone)) - whole;
}

const MINUTE_MS = 60_000;
/** Offsets a process keeps (zone and minute): a call's times, read again on every sync, fall in a few minutes. */
const OFFSETS_KEPT = 20_000;
const offsets = new Map<string, number>();

/**
 * The zone's offset from UTC at an instant, in ms (Minsk: +3 h). Intl's formatToParts was the largest
 * part of reading a call's facts (issue 12: every sync and call-log batch re-reads the call's times), so
 * the offset is kept per zone and minute, and only for a minute whose first and last second agree: a
 * minute with a change of offset inside it (historic zones' odd-second changes) is read each time.
 */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const minute = Math.floor(whole / MINUTE_MS) * MINUTE_MS;
  const key = `${timeZone}|${minute}`;
  const kept = offsets.get(key);
  if (kept !== undefined) return kept;
  const first = zoneOffsetAt(minute, timeZone);
  if (zoneOffsetAt(minute + MINUTE_MS - 1000, timeZone) !== first) return zoneOffsetAt(whole, timeZone);
  if (offsets.size >= OFFSETS_KEPT) offsets.clear();
  offsets.set(key, first);
  return first;
}

/** An instant's wall clock in a zone. */
function wallOf(ms: number, timeZone: string): Wall {
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetAt(ms, timeZone));
  return { y: local.getUTCFullYear(), mo: local.getUTCMonth() + 1, d: local.getUTCDate(), h: local.getUTCHours(), mi: local.getUTCMinutes(), s: local.getUTCSeconds() };
}

/** The instant a wall clock reading names in a zone (a reading inside a DST gap or overlap takes the earlier offset's answer). */
export function instantOf(w: Wall, timeZone: string): number {
  const asUtc = utcOf(w);
  const first = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(first, timeZone);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "YYYY-MM-DD HH:MM:SS" of an instant in a zone: how the PBX would have written it. */
export function localClock(ms: number, timeZone: string): string {
  const w = wallOf(ms, timeZone);
  return `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)} ${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}`;
}

function zoneOffsetMs(suffix: string): number {
  if (suffix === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(suffix)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/**
 * A host time field as an instant. The hosts' form is local time without a zone, read in `timeZone`;
 * an explicit zone suffix (Z, +03:00), if a host sends one, wins. Empty, missing or unreadable: null.
 */
export function parseHostTime(raw: unknown, timeZone: string): HostTime | null {
  if (typeof raw !== 'string') return null;
  const m = WALL_CLOCK.exec(raw.trim());
  if (!m) return null;
  const w: Wall = { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]), h: Number(m[4]), mi: Number(m[5]), s: Number(m[6] ?? 0) };
  // Date.UTC rolls 2025-02-30 over to March: a reading that does not survive the round trip is not a date.
  const check = new Date(utcOf(w));
  if (check.getUTCMonth() !== w.mo - 1 || check.getUTCDate() !== w.d || w.h > 23 || w.mi > 59 || w.s > 59) return null;
  const at = m[7] ? utcOf(w) - zoneOffsetMs(m[7]) : instantOf(w, timeZone);
  return { at: new Date(at), local: m[7] ? localClock(at, timeZone) : `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${pad(w.s)}` };
}

/** Our receive time standing in for a host time: the instant, and its wall clock in the enterprise's zone. */
export function receivedTime(ms: number, timeZone: string): HostTime {
  return { at: new Date(ms), local: localClock(ms, timeZone) };
}
