/**
 * A call-log job as the store needs it: the entry row, the call-graph nodes it touches, the soft
 * facts it states, and its contribution to the call's summary. Pure.
 */
import {
  contribution, EMPTY_FOLD, eventNodes, primaryNode, softFacts, type CallFold, type SoftFact,
} from '@callpipe/correlation';
import { canonicalJson } from '@callpipe/events';
import type { CallLogJob, CallLogKind } from '@callpipe/queues';
import { createHash } from 'node:crypto';

export interface EntryInput {
  enterprise: string;
  entryKey: string;
  kind: CallLogKind;
  at: Date;
  seq: number | null;
  /** What the entry was about: the event type, the Telegram message type, the CRM operation. */
  eventType: string | null;
  chatId: string | null;
  data: Record<string, unknown>;
  /** Distinct ids of the call graph this entry touches; the first names a call it opens. */
  nodes: string[];
  facts: SoftFact[];
  fold: CallFold;
}

export class EntryInputError extends Error {
  override name = 'EntryInputError';
}

function parseTime(iso: string, field: string): Date {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new EntryInputError(`${field} is not a time: ${JSON.stringify(iso)}`);
  return new Date(ms);
}

/** A producer-given key, else a hash of the entry itself: the same entry logged twice is stored once. */
function keyOf(job: Exclude<CallLogJob, { kind: 'event' }>): string {
  return job.entryKey ?? `${job.kind}-${createHash('sha256').update(canonicalJson(job)).digest('hex').slice(0, 40)}`;
}

function withoutRouting(job: Exclude<CallLogJob, { kind: 'event' }>): Record<string, unknown> {
  const { kind: _k, enterprise: _e, callRef: _c, at: _a, entryKey: _x, ...data } = job;
  return data;
}

export function entryInput(job: CallLogJob): EntryInput {
  if (job.kind === 'event') {
    const at = parseTime(job.receivedAt, 'receivedAt');
    const event = { key: job.eventKey, type: job.eventType, body: job.body, at: at.getTime() };
    const primary = primaryNode(event);
    if (!primary) throw new EntryInputError(`${job.eventType} event ${job.eventKey} carries no UniqueId, BridgeUniqueid or Linkedid`);
    const nodes = eventNodes(event);
    return {
      enterprise: job.enterprise, entryKey: job.eventKey, kind: 'event', at, seq: job.seq,
      eventType: job.eventType, chatId: job.chatId ?? null,
      data: { body: job.body, source: job.source },
      nodes: [primary, ...nodes.filter((n) => n !== primary)],
      facts: softFacts(event),
      fold: contribution(event),
    };
  }
  const eventType = job.kind === 'telegram' ? job.messageType ?? null : job.kind === 'integration' ? job.operation : null;
  return {
    enterprise: job.enterprise, entryKey: keyOf(job), kind: job.kind, at: parseTime(job.at, 'at'), seq: null,
    eventType, chatId: job.kind === 'telegram' ? job.chatId : null,
    data: withoutRouting(job),
    nodes: [job.callRef],
    facts: [],
    fold: EMPTY_FOLD,
  };
}
