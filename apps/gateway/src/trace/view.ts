/**
 * A call's trace as the API answers it and the page shows it: the record's summary and ids, the
 * timeline sorted by time, and counts per kind. Secrets masked. Pure.
 */
import type { EntryRow, TraceRow } from './queries.js';
import { maskSecrets } from './mask.js';

export const ENTRY_KINDS = ['event', 'telegram', 'http', 'sql', 'integration'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface TimelineItem {
  kind: EntryKind;
  at: string;
  /** Milliseconds after the call's first entry. */
  offset_ms: number;
  /** Event type, Telegram message type, CRM operation. */
  type: string | null;
  chat_id: string | null;
  entry_key: string;
  data: Record<string, unknown>;
}

export interface TraceView {
  requested_id: string;
  call_id: string;
  enterprise_number: string;
  summary: {
    direction: string | null;
    status: string;
    answered: boolean;
    phones: string[];
    extensions: string[];
    start_time: string | null;
    end_time: string | null;
    duration_sec: number | null;
    event_count: number;
  };
  ids: { unique_ids: string[]; bridge_unique_ids: string[] };
  counts: Record<EntryKind | 'total', number>;
  created_at: string;
  updated_at: string;
  timeline: TimelineItem[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const seqOf = (e: EntryRow) => (e.seq === null ? Number.POSITIVE_INFINITY : Number(e.seq));

/** By time; entries stamped in the same millisecond by the ingest sequence, then kind and key (stable). */
export function byTime(a: EntryRow, b: EntryRow): number {
  return a.at.getTime() - b.at.getTime() || seqOf(a) - seqOf(b) || a.kind.localeCompare(b.kind) || a.entry_key.localeCompare(b.entry_key);
}

export function traceView(requestedId: string, call: TraceRow, entries: readonly EntryRow[]): TraceView {
  const sorted = [...entries].sort(byTime);
  const t0 = sorted[0]?.at.getTime() ?? 0;
  const counts = { event: 0, telegram: 0, http: 0, sql: 0, integration: 0, total: sorted.length };
  for (const e of sorted) counts[e.kind] += 1;
  return {
    requested_id: requestedId,
    call_id: call.call_id,
    enterprise_number: call.enterprise_number,
    summary: {
      direction: call.direction, status: call.status, answered: call.answered, phones: call.phones, extensions: call.extensions,
      start_time: iso(call.start_time), end_time: iso(call.end_time), duration_sec: call.duration_sec, event_count: call.event_count,
    },
    ids: { unique_ids: call.unique_ids, bridge_unique_ids: call.bridge_unique_ids },
    counts,
    created_at: call.created_at.toISOString(),
    updated_at: call.updated_at.toISOString(),
    timeline: sorted.map((e) => ({
      kind: e.kind, at: e.at.toISOString(), offset_ms: e.at.getTime() - t0, type: e.event_type, chat_id: e.chat_id,
      entry_key: e.entry_key, data: maskSecrets(e.data) as Record<string, unknown>,
    })),
  };
}

/** A search hit: the record without its timeline. */
export function callListItem(call: TraceRow) {
  return {
    call_id: call.call_id, enterprise_number: call.enterprise_number, direction: call.direction, status: call.status,
    answered: call.answered, phones: call.phones, extensions: call.extensions, start_time: iso(call.start_time),
    end_time: iso(call.end_time), duration_sec: call.duration_sec, event_count: call.event_count,
    unique_ids: call.unique_ids, bridge_unique_ids: call.bridge_unique_ids,
  };
}

/** An event of the enterprise's day list (the old /enterprise/{n}/events shape, plus the call it belongs to). */
export function dayEventItem(e: EntryRow) {
  const data = maskSecrets(e.data) as { body?: unknown; source?: unknown };
  return { call_id: e.call_id, event_type: e.event_type, timestamp: e.at.toISOString(), chat_id: e.chat_id, source: data.source ?? null, event_data: data.body ?? null };
}
