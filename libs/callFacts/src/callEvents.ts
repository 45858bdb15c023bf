/**
 * How the facts read a call's events: in a fixed order whatever order they arrived in (host send time,
 * then the ingest sequence, then the key), the call's reference channel, and its summary hangup. Pure.
 */
import { field, isExternalNumber, listField, normalizePhone, type CorrelationEvent } from '@callpipe/correlation';

/** UniqueIds order by creation: "<epoch seconds>.<counter>", seconds first, then the host's counter. */
export function compareUniqueIds(a: string, b: string): number {
  const [as = '', ac = ''] = a.split('.');
  const [bs = '', bc = ''] = b.split('.');
  const num = (x: string) => (/^\d+$/.test(x) ? Number(x) : Number.NaN);
  const bySeconds = num(as) - num(bs);
  if (Number.isFinite(bySeconds) && bySeconds !== 0) return bySeconds;
  const byCounter = num(ac) - num(bc);
  if (Number.isFinite(byCounter) && byCounter !== 0) return byCounter;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byHostOrder(a: CorrelationEvent, b: CorrelationEvent): number {
  return a.at - b.at || (a.seq ?? 0) - (b.seq ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Short numbers are extensions; 7+ digits came through a trunk (the correlation's rule). */
export const isExtension = (x: string | undefined): x is string => x !== undefined && /^\d{1,6}$/.test(x.trim());

export const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];

/** The internal numbers an event's Extensions lists. */
export const extensionsOf = (e: CorrelationEvent): string[] => listField(e.body, 'Extensions').filter((x) => !isExternalNumber(x) && isExtension(x));

/** The customer's number in a field, digits only, or undefined for an extension or nothing. */
export function outsideNumber(e: CorrelationEvent, name: string): string | undefined {
  const v = field(e.body, name);
  return v && isExternalNumber(v.replace(/[\s()-]/g, '')) ? normalizePhone(v) : undefined;
}

export interface CallEvents {
  /** Every event, in host order. */
  all: CorrelationEvent[];
  /** The call's oldest UniqueId. */
  callRef: string;
  uniqueIds: string[];
  bridgeUniqueIds: string[];
  /** The host's summary hangup of the call: the one filed under callRef (consultations have their own). */
  mainHangup: CorrelationEvent | undefined;
  /** start/dial/hangup events, the call's own first: the main hangup, then callRef's start/dial, then the rest in order. */
  telling: CorrelationEvent[];
}

const TELLING = new Set(['start', 'dial', 'hangup']);

/** null when no event says anything about a call yet (bridges and caller-id updates alone). */
export function readCallEvents(events: readonly CorrelationEvent[]): CallEvents | null {
  const all = [...events].sort(byHostOrder);
  const uniqueIds = uniq(all.flatMap((e) => [field(e.body, 'UniqueId'), field(e.body, 'Linkedid')]).filter((x): x is string => x !== undefined))
    .sort(compareUniqueIds);
  const callRef = uniqueIds[0];
  if (callRef === undefined || !all.some((e) => TELLING.has(e.type))) return null;
  const hangups = all.filter((e) => e.type === 'hangup');
  const mainHangup = hangups.find((e) => field(e.body, 'UniqueId') === callRef) ?? hangups.find((e) => field(e.body, 'Linkedid') === callRef);
  const own = all.filter((e) => (e.type === 'start' || e.type === 'dial') && field(e.body, 'UniqueId') === callRef);
  const rest = all.filter((e) => TELLING.has(e.type) && e !== mainHangup && !own.includes(e));
  return {
    all, callRef, uniqueIds,
    bridgeUniqueIds: uniq(all.map((e) => field(e.body, 'BridgeUniqueid')).filter((x): x is string => x !== undefined)).sort(),
    mainHangup,
    telling: [...(mainHangup ? [mainHangup] : []), ...own, ...rest],
  };
}
