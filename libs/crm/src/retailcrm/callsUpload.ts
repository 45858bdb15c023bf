/**
 * POST /api/v5/telephony/calls/upload: ended calls in the customers' history. Form field `calls` is a
 * JSON array of at most 50 calls; each carries the host's own wall-clock start ("Y-m-d H:i:s"), the
 * type, the number without "+", the manager who had the call, the result in RetailCRM's enum, the
 * duration from host times, our call reference as externalId, and the recording.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { externalCall, isSkip, type RetailCallType, type Skip } from './callType.js';

/** RetailCRM allows this many calls in one calls/upload. */
export const CALLS_PER_UPLOAD = 50;

/** RetailCRM's call result enum (the values we produce). */
export type CallResult = 'answered' | 'busy' | 'failed' | 'no answer';

export interface UploadCall {
  date: string;
  type: RetailCallType;
  phone: string;
  code?: string;
  userId?: number;
  result: CallResult;
  duration: number;
  externalId: string;
  externalPhone?: string;
  recordUrl?: string;
}

export function resultOf(outcome: CallFacts['outcome']): CallResult {
  if (outcome === 'answered') return 'answered';
  if (outcome === 'busy') return 'busy';
  if (outcome === 'missed') return 'no answer';
  return 'failed';
}

/** The manager whose history row it is: the last one who talked; for an unanswered outbound call, the one who dialled. */
export function historyManager(facts: CallFacts, type: RetailCallType): string | null {
  return facts.manager ?? (type === 'out' ? facts.caller : null);
}

const HOST_LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** One history row, or why the call gets none. */
export function uploadCall(facts: CallFacts, userByExtension: ReadonlyMap<string, number>): UploadCall | Skip {
  if (facts.stage !== 'ended') return { skip: 'the call has not ended' };
  const call = externalCall(facts);
  if (isSkip(call)) return call;
  const date = facts.start?.local ?? facts.end?.local;
  if (!date || !HOST_LOCAL.test(date)) return { skip: 'no start time' };
  const manager = historyManager(facts, call.type);
  const userId = manager === null ? undefined : userByExtension.get(manager);
  const result = resultOf(facts.outcome);
  return {
    date,
    type: call.type,
    phone: call.phone,
    // Only a mapped extension names a RetailCRM manager; an unknown code would be refused.
    ...(manager !== null && userId !== undefined ? { code: manager, userId } : {}),
    result,
    // Talk time: an unanswered call's end − start is ringing, not a conversation.
    duration: result === 'answered' ? Math.max(0, facts.durationSec ?? 0) : 0,
    externalId: facts.callRef,
    ...(facts.line ? { externalPhone: facts.line } : {}),
    ...(facts.recordUrl ? { recordUrl: facts.recordUrl } : {}),
  };
}

export interface UploadPlan {
  /** Requests to make, each at most `max` calls. */
  batches: UploadCall[][];
  skipped: { callRef: string; reason: string }[];
}

/** Calls of one account → calls/upload requests of at most `max` (one row per call, the first seen of a repeated callRef). */
export function planUploads(list: readonly CallFacts[], userByExtension: ReadonlyMap<string, number>, max = CALLS_PER_UPLOAD): UploadPlan {
  const rows: UploadCall[] = [];
  const skipped: UploadPlan['skipped'] = [];
  const seen = new Set<string>();
  for (const facts of list) {
    if (seen.has(facts.callRef)) continue;
    seen.add(facts.callRef);
    const row = uploadCall(facts, userByExtension);
    if (isSkip(row)) skipped.push({ callRef: facts.callRef, reason: row.skip });
    else rows.push(row);
  }
  const size = Math.max(1, Math.min(max, CALLS_PER_UPLOAD));
  const batches: UploadCall[][] = [];
  for (let i = 0; i < rows.length; i += size) batches.push(rows.slice(i, i + size));
  return { batches, skipped };
}

export function callsUploadForm(clientId: string, calls: readonly UploadCall[]): Record<string, string> {
  return { clientId, calls: JSON.stringify(calls) };
}
